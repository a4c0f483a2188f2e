//! Panels' and buttons' backgrounds, and the ring's strip picture, each through a UI
//! pipeline of its own (Bevy's `UiMaterial`) instead of Bevy UI's node shader.
//!
//! Bevy UI draws every node kind — backgrounds, borders, images, glyphs — with one shader
//! that tells them apart per pixel. llvmpipe runs eight pixels at a time and only masks
//! lanes at a branch, so every pixel of a panel paid for a texture sample and three
//! rounded-box distances (docs/performance.md, "Where the rest of the district's frame
//! goes": the UI drawn flat took 31.3 ms a frame against 36.7 as shipped). A [`Fill`]
//! pixel runs one rounded-box distance, with the corners' radii and the inset worked out
//! once per vertex; a [`Picture`] pixel one sample, with no distance at all. The picture is
//! Bevy's: the same distance function, the same antialiasing (`0.5 − d`, clamped), the same
//! blending, colours converted to linear the same way.

use bevy::asset::{embedded_asset, embedded_path};
use bevy::prelude::*;
use bevy::render::render_resource::AsBindGroup;
use bevy::shader::ShaderRef;
use bevy::ui_render::prelude::{MaterialNode, UiMaterial, UiMaterialPlugin};

/// A node's background of this colour: what `BackgroundColor` draws (inside the node's
/// border, with its corner radii), through [`FillMaterial`]. Changing it changes the
/// picture; nodes with the same colour share one material and draw in one batch.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Fill(pub Color);

/// The material behind [`Fill`]: one per colour (`fill.wgsl`).
#[derive(Asset, TypePath, AsBindGroup, Debug, Clone)]
pub struct FillMaterial {
    /// The fill's colour, linear RGB with straight alpha (as Bevy UI's vertex colour).
    #[uniform(0)]
    pub color: LinearRgba,
}

impl UiMaterial for FillMaterial {
    fn vertex_shader() -> ShaderRef {
        shader("fill.wgsl")
    }
    fn fragment_shader() -> ShaderRef {
        shader("fill.wgsl")
    }
    /// Drawn where the node's `BackgroundColor` would be: below its border, image and text.
    fn stack_z_offset() -> f32 {
        bevy::ui_render::stack_z_offsets::BACKGROUND_COLOR
    }
}

/// One of this module's embedded shaders (registered by [`plugin`]).
fn shader(file: &str) -> ShaderRef {
    ShaderRef::Path(
        bevy::asset::AssetPath::from_path_buf(embedded_path!(file)).with_source("embedded"),
    )
}

/// A node that shows `0` stretched over its padding box (inside its border), sampled with the image's own
/// sampler at mip level 0, without rounded corners (`picture.wgsl`). For a texture drawn
/// at the node's own size (the ring's strip, `StripPixels`) this is what `ImageNode` shows,
/// at the cost of one sample a pixel.
#[derive(Component, Debug, Clone, PartialEq)]
pub struct Picture(pub Handle<Image>);

/// The material behind [`Picture`].
#[derive(Asset, TypePath, AsBindGroup, Debug, Clone)]
pub struct PictureMaterial {
    /// The picture; its sampler is used as set on the image.
    #[texture(0)]
    #[sampler(1)]
    pub image: Handle<Image>,
}

impl UiMaterial for PictureMaterial {
    fn vertex_shader() -> ShaderRef {
        shader("picture.wgsl")
    }
    fn fragment_shader() -> ShaderRef {
        shader("picture.wgsl")
    }
    fn stack_z_offset() -> f32 {
        bevy::ui_render::stack_z_offsets::IMAGE
    }
}

/// The materials of the fills on show, by colour (bit patterns of the linear RGBA). Kept
/// for the exhibit's life: the UI uses a few dozen colours.
#[derive(Resource, Default)]
struct FillMaterials(bevy::platform::collections::HashMap<[u32; 4], Handle<FillMaterial>>);

/// What each picture's image looked like when its material was made: an image changed in
/// place (resized, a new sampler) is a new texture on the GPU, and a material's bind group
/// keeps the old one until the material changes too.
#[derive(Component)]
struct PictureShown(Option<(UVec2, bevy::image::ImageSampler)>);

/// Registers both materials and keeps each node's material in step with its [`Fill`] or
/// [`Picture`] (windowed app; headless tests have the components and draw nothing).
pub fn plugin(app: &mut App) {
    embedded_asset!(app, "fill.wgsl");
    embedded_asset!(app, "picture.wgsl");
    app.add_plugins((
        UiMaterialPlugin::<FillMaterial>::default(),
        UiMaterialPlugin::<PictureMaterial>::default(),
    ))
    .init_resource::<FillMaterials>()
    .add_systems(
        PostUpdate,
        (fill_materials, picture_materials).before(bevy::asset::AssetEventSystems),
    );
}

fn fill_materials(
    fills: Query<(Entity, &Fill, Option<&MaterialNode<FillMaterial>>), Changed<Fill>>,
    mut cache: ResMut<FillMaterials>,
    mut materials: ResMut<Assets<FillMaterial>>,
    mut commands: Commands,
) {
    for (entity, fill, shown) in &fills {
        let color = fill.0.to_linear();
        let key = color.to_f32_array().map(f32::to_bits);
        let handle = cache
            .0
            .entry(key)
            .or_insert_with(|| materials.add(FillMaterial { color }))
            .clone();
        if shown.map(|m| m.0.id()) != Some(handle.id()) {
            commands.entity(entity).insert(MaterialNode(handle));
        }
    }
}

fn picture_materials(
    mut pictures: Query<(
        Entity,
        &Picture,
        Option<&MaterialNode<PictureMaterial>>,
        Option<&mut PictureShown>,
    )>,
    images: Res<Assets<Image>>,
    mut materials: ResMut<Assets<PictureMaterial>>,
    mut commands: Commands,
) {
    for (entity, picture, node, shown) in &mut pictures {
        let image = images.get(&picture.0);
        // Compared by reference: the sampler is cloned only when it changed.
        let looks_now = image.map(|i| (i.size(), &i.sampler));
        let looks = || image.map(|i| (i.size(), i.sampler.clone()));
        match (node, shown) {
            (Some(node), Some(mut shown)) => {
                let same_image =
                    materials.get(&node.0).map(|m| m.image.id()) == Some(picture.0.id());
                if !same_image {
                    commands
                        .entity(entity)
                        .insert(MaterialNode(materials.add(PictureMaterial {
                            image: picture.0.clone(),
                        })));
                }
                let changed = shown.0.as_ref().map(|(size, sampler)| (*size, sampler)) != looks_now;
                if same_image
                    && changed
                    && let Some(material) = materials.get_mut(&node.0)
                {
                    // Marked changed (a mutable access), the material gets its bind group
                    // built again, with the image's new texture, in this frame.
                    material.into_inner();
                }
                if changed {
                    shown.0 = looks();
                }
            }
            _ => {
                commands.entity(entity).insert((
                    MaterialNode(materials.add(PictureMaterial {
                        image: picture.0.clone(),
                    })),
                    PictureShown(looks()),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy::asset::{AssetEvent, AssetEventSystems, AssetPlugin};
    use bevy::ecs::message::Messages;
    use bevy::render::render_resource::Extent3d;

    /// `AssetEvent::Modified` messages for picture materials since the cursor's last read.
    fn modified(
        app: &App,
        cursor: &mut bevy::ecs::message::MessageCursor<AssetEvent<PictureMaterial>>,
    ) -> usize {
        let messages = app
            .world()
            .resource::<Messages<AssetEvent<PictureMaterial>>>();
        cursor
            .read(messages)
            .filter(|e| matches!(e, AssetEvent::Modified { .. }))
            .count()
    }

    #[test]
    fn a_resized_picture_gets_its_material_built_again_in_the_same_frame() {
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, AssetPlugin::default()))
            .init_asset::<Image>()
            .init_asset::<PictureMaterial>()
            .add_systems(PostUpdate, picture_materials.before(AssetEventSystems));
        let image = app
            .world_mut()
            .resource_mut::<Assets<Image>>()
            .add(Image::default());
        let node = app.world_mut().spawn(Picture(image.clone())).id();
        let mut cursor = app
            .world()
            .resource::<Messages<AssetEvent<PictureMaterial>>>()
            .get_cursor();
        for _ in 0..3 {
            app.update();
        }
        assert!(
            app.world()
                .get::<MaterialNode<PictureMaterial>>(node)
                .is_some()
        );
        assert_eq!(
            modified(&app, &mut cursor),
            0,
            "nothing changed, nothing rebuilt"
        );
        if let Some(mut i) = app
            .world_mut()
            .resource_mut::<Assets<Image>>()
            .get_mut(&image)
        {
            i.resize(Extent3d {
                width: 64,
                height: 8,
                depth_or_array_layers: 1,
            });
        }
        app.update();
        assert_eq!(
            modified(&app, &mut cursor),
            1,
            "the material is rebuilt with the new texture"
        );
        for _ in 0..3 {
            app.update();
        }
        assert_eq!(modified(&app, &mut cursor), 0, "and only once");
    }
}
