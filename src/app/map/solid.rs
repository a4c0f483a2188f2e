//! The material of everything that stands on the 3D map — raised regions, buildings, the
//! blocks of every building: opaque (it writes depth, so it hides what stands behind it),
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

/// Opaque, vertex-coloured, back faces culled (see the module).
#[derive(Asset, TypePath, AsBindGroup, Clone, Default)]
pub(super) struct Solid {}

impl Material2d for Solid {
    fn fragment_shader() -> ShaderRef {
        ShaderRef::Path(
            AssetPath::from_path_buf(embedded_path!("solid.wgsl")).with_source("embedded"),
        )
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
        Ok(())
    }
}

pub(super) fn plugin(app: &mut App) {
    embedded_asset!(app, "solid.wgsl");
    app.add_plugins(Material2dPlugin::<Solid>::default());
}
