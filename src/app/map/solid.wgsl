// The map's own materials (src/app/map/solid.rs): their vertices' colour; opaque for what
// stands on the 3D map (`Solid`), blended by the vertices' alpha for the flat layers (`Flat`).
#import bevy_sprite::mesh2d_vertex_output::VertexOutput

@fragment
fn fragment(mesh: VertexOutput) -> @location(0) vec4<f32> {
#ifdef VERTEX_COLORS
#ifdef SOLID_OPAQUE
    return vec4(mesh.color.rgb, 1.0);
#else
    return mesh.color;
#endif
#else
    return vec4(1.0);
#endif
}
