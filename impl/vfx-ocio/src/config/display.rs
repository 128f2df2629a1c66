//! Displays and views: a view shows a colour space (or a view transform
//! into a display colour space) with optional looks, a viewing rule, a
//! description and aliases. Displays list their own views and the names of
//! shared views they use.

/// One view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct View {
    pub name: String,
    /// Empty for views that show a colour space directly.
    pub view_transform: String,
    /// The colour space, or the display colour space when a view transform is set.
    pub colorspace: String,
    pub looks: String,
    pub rule: String,
    pub description: String,
    pub aliases: Vec<String>,
}

/// A display: its own views, then the shared views it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Display {
    pub name: String,
    pub views: Vec<View>,
    pub shared_views: Vec<String>,
    /// Instantiated at run time (from the virtual display): never saved.
    pub temporary: bool,
}
