// The 3D map's picture of every building (src/app/map/blocks_picture.rs): a texture drawn
// by a camera over a transparent clear, so its colours come premultiplied by their
// coverage (multisampled edges average with the clear). Sampled as it is; the material's
// pipeline blends it as premultiplied, so the edges of small roofs do not darken.
#import bevy_sprite::mesh2d_vertex_output::VertexOutput

@group(#{MATERIAL_BIND_GROUP}) @binding(0) var picture: texture_2d<f32>;
@group(#{MATERIAL_BIND_GROUP}) @binding(1) var picture_sampler: sampler;

@fragment
fn fragment(mesh: VertexOutput) -> @location(0) vec4<f32> {
    return textureSample(picture, picture_sampler, mesh.uv);
}
