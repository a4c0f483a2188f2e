// A texture over a node's padding box, inside its border (src/app/base/fill.rs): one sample a pixel, nothing
// drawn on the border. The vertex inputs are Bevy's `UiMaterial` vertex buffer
// (bevy_ui_render 0.19.1): the node's size and its border widths (left, top, right,
// bottom), in physical px.
#import bevy_render::view::View

@group(0) @binding(0) var<uniform> view: View;
@group(1) @binding(0) var picture: texture_2d<f32>;
@group(1) @binding(1) var picture_sampler: sampler;

struct Out {
    @builtin(position) position: vec4<f32>,
    // The texture coordinate over the padding box: 0–1 inside it.
    @location(0) uv: vec2<f32>,
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
    let inner = max(size - border.xy - border.zw, vec2(1.0));
    out.uv = (uv * size - border.xy) / inner;
    return out;
}

@fragment
fn fragment(in: Out) -> @location(0) vec4<f32> {
    let inside = all(in.uv >= vec2(0.0)) && all(in.uv <= vec2(1.0));
    let c = textureSampleLevel(picture, picture_sampler, in.uv, 0.0);
    return vec4(c.rgb, select(0.0, c.a, inside));
}
