// What stands on the 3D map (src/app/map/solid.rs): its vertices' colour, opaque.
#import bevy_sprite::mesh2d_vertex_output::VertexOutput

@fragment
fn fragment(mesh: VertexOutput) -> @location(0) vec4<f32> {
#ifdef VERTEX_COLORS
    return vec4(mesh.color.rgb, 1.0);
#else
    return vec4(1.0);
#endif
}
