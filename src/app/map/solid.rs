//! The map's own materials: [`Flat`] for the flat layers (below), and [`Solid`] for
//! everything that stands on the 3D map — raised regions, buildings, the blocks of every
//! building: opaque (it writes depth, so it hides what stands behind it),
//! coloured by its vertices, and with its **back faces culled**. A prism is closed, so its
//! back faces are never seen; drawing them anyway doubled the walls' pixels, which on a
//! software renderer with 4× MSAA made the 3D district cost twice the flat one.
//! `scene::extrude` winds every face counter-clockwise seen from outside (roofs from above,
//! walls from the side they face), the front face Bevy's 2D pipeline expects.

use bevy::asset::{AssetPath, embedded_asset, embedded_path};
use bevy::mesh::MeshVertexBufferLayoutRef;
use bevy::prelude::*;
use bevy::render::render_resource::{
    AsBindGroup, Face, RenderPipelineDescriptor, SpecializedMeshPipelineError,
};
use bevy::shader::ShaderRef;
use bevy::sprite_render::{AlphaMode2d, Material2d, Material2dKey, Material2dPlugin};

/// `solid.wgsl`, the fragment stage of both materials (`SOLID_OPAQUE` for [`Solid`]).
fn map_shader() -> ShaderRef {
    ShaderRef::Path(AssetPath::from_path_buf(embedded_path!("solid.wgsl")).with_source("embedded"))
}

/// Opaque, vertex-coloured, back faces culled (see the module).
#[derive(Asset, TypePath, AsBindGroup, Clone, Default)]
pub(super) struct Solid {}

impl Material2d for Solid {
    fn fragment_shader() -> ShaderRef {
        map_shader()
    }

    fn alpha_mode(&self) -> AlphaMode2d {
        AlphaMode2d::Opaque
    }

    fn specialize(
        descriptor: &mut RenderPipelineDescriptor,
        _layout: &MeshVertexBufferLayoutRef,
        _key: Material2dKey<Self>,
    ) -> Result<(), SpecializedMeshPipelineError> {
        descriptor.primitive.cull_mode = Some(Face::Back);
        if let Some(fragment) = descriptor.fragment.as_mut() {
            fragment.shader_defs.push("SOLID_OPAQUE".into());
        }
        Ok(())
    }
}

/// The flat map's layers — fills, borders, the selection, buildings, the open case's mark:
/// vertex-coloured, blended by their vertices' alpha, both faces drawn (a footprint's
/// winding is the snapshot's). The same picture as Bevy's `ColorMaterial` with its default
/// white, which also multiplies by a material colour, transforms UVs, tests a texture flag
/// and runs the view's colour grading (`TONEMAP_IN_SHADER`: a `pow` per channel) for every
/// pixel — on a software renderer each of those is paid per pixel of the fills
/// (docs/performance.md, "Cheaper pixels").
#[derive(Asset, TypePath, AsBindGroup, Clone, Default)]
pub(super) struct Flat {}

impl Material2d for Flat {
    fn fragment_shader() -> ShaderRef {
        map_shader()
    }

    fn alpha_mode(&self) -> AlphaMode2d {
        AlphaMode2d::Blend
    }
}

pub(super) fn plugin(app: &mut App) {
    embedded_asset!(app, "solid.wgsl");
    app.add_plugins((
        Material2dPlugin::<Solid>::default(),
        Material2dPlugin::<Flat>::default(),
    ));
}
