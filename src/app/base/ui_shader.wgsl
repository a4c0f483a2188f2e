// Bevy UI's node shader with a cheaper fragment stage (src/app/base/ui_shader.rs): the same
// vertex stage, inputs and bindings as `bevy_ui::ui_node`, whose functions it calls.
#import bevy_ui::ui_node::{
    VertexOutput, view, sprite_texture, sprite_sampler, enabled, antialias,
    draw_uinode_border, draw_uinode_background, TEXTURED, BORDER_ANY, INVERT,
}

@vertex
fn vertex(
    @location(0) vertex_position: vec3<f32>,
    @location(1) vertex_uv: vec2<f32>,
    @location(2) vertex_color: vec4<f32>,
    @location(3) flags: u32,
    // x: top left, y: top right, z: bottom right, w: bottom left.
    @location(4) radius: vec4<f32>,
    // x: left, y: top, z: right, w: bottom.
    @location(5) border: vec4<f32>,
    @location(6) size: vec2<f32>,
    @location(7) point: vec2<f32>,
) -> VertexOutput {
    var out: VertexOutput;
    out.uv = vertex_uv;
    out.position = view.clip_from_world * vec4(vertex_position, 1.0);
    out.color = vertex_color;
    out.flags = flags;
    out.radius = radius;
    out.size = size;
    out.border = border;
    out.point = point;
    return out;
}

@fragment
fn fragment(in: VertexOutput) -> @location(0) vec4<f32> {
    // A texture only where the node has one (glyphs, images): Bevy samples a white texel
    // for every plain background and border pixel too. UI textures have one mip level, so
    // sampling level 0 is what `textureSample` returns, without the derivatives.
    var color = in.color;
    if enabled(in.flags, TEXTURED) {
        color = in.color * textureSampleLevel(sprite_texture, sprite_sampler, in.uv, 0.0);
    }
    if enabled(in.flags, BORDER_ANY) {
        return draw_uinode_border(color, in.point, in.size, in.radius, in.border, in.flags);
    }
    if all(in.radius == vec4(0.0)) && all(in.border == vec4(0.0)) && !enabled(in.flags, INVERT) {
        // A square box with no inset (every glyph, plain strips): its signed distance is
        // the larger of the two axes' — what `sd_inset_rounded_box` returns for it.
        let q = abs(in.point) - 0.5 * in.size;
        let d = max(q.x, q.y);
#ifdef ANTI_ALIAS
        let t = antialias(d);
#else
        let t = 1.0 - step(0.0, d);
#endif
        return vec4(color.rgb, saturate(color.a * t));
    }
    return draw_uinode_background(color, in.point, in.size, in.radius, in.border, in.flags);
}
