// A node's background (src/app/base/fill.rs): Bevy UI's rounded, inset box with its
// antialiased edge, as straight-line code with one distance per pixel. The vertex inputs
// are Bevy's `UiMaterial` vertex buffer (bevy_ui_render 0.19.1, ui_material_pipeline.rs):
// the node's size, its border widths (left, top, right, bottom) and its corner radii (top
// left, top right, bottom right, bottom left), all in physical px.
#import bevy_render::view::View

@group(0) @binding(0) var<uniform> view: View;
@group(1) @binding(0) var<uniform> color: vec4<f32>;

struct Out {
    @builtin(position) position: vec4<f32>,
    // The pixel's position from the centre of the box inside the border, px.
    @location(0) point: vec2<f32>,
    // Half the inner box's size, px.
    @location(1) @interpolate(flat) half_size: vec2<f32>,
    // The inner box's corner radii, px (top left, top right, bottom right, bottom left).
    @location(2) @interpolate(flat) radii: vec4<f32>,
};

@vertex
fn vertex(
    @location(0) position: vec3<f32>,
    @location(1) uv: vec2<f32>,
    @location(2) size: vec2<f32>,
    @location(3) border: vec4<f32>,
    @location(4) radius: vec4<f32>,
) -> Out {
    var out: Out;
    out.position = view.clip_from_world * vec4(position, 1.0);
    let inner = size - border.xy - border.zw;
    // The inner box's centre from the node's, as Bevy's `sd_inset_rounded_box` has it.
    let center = border.xy + 0.5 * inner - 0.5 * size;
    out.point = (uv - 0.5) * size - center;
    out.half_size = 0.5 * inner;
    // Each corner's radius less the wider of its two borders, kept within half the inner
    // box's shorter side.
    let inset = vec4(
        max(border.x, border.y),
        max(border.z, border.y),
        max(border.z, border.w),
        max(border.x, border.w),
    );
    out.radii = clamp(radius - inset, vec4(0.0), vec4(min(out.half_size.x, out.half_size.y)));
    return out;
}

@fragment
fn fragment(in: Out) -> @location(0) vec4<f32> {
    // The corner the pixel is nearest: bottom ones where y > 0, right ones where x > 0.
    let pair = select(in.radii.xy, in.radii.wz, 0.0 < in.point.y);
    let r = select(pair.x, pair.y, 0.0 < in.point.x);
    let q = abs(in.point) - in.half_size + r;
    let d = length(max(q, vec2(0.0))) + min(max(q.x, q.y), 0.0) - r;
    return vec4(color.rgb, saturate(color.a * saturate(0.5 - d)));
}
