//! The served folder: which scenario files it holds, and the one safe way from a name in a URL
//! to a file inside it. Nothing here reads a file outside the folder: a name with `..`, an
//! absolute path or a link out of the folder is refused before any file is opened.

use std::path::{Component, Path, PathBuf};

/// The folder the server serves, or one file in it.
#[derive(Clone, Debug)]
pub struct ServedFolder {
    /// The folder, canonical.
    root: PathBuf,
    /// When one file was asked for: its name in the folder; only it is listed.
    only: Option<String>,
}

impl ServedFolder {
    /// Serves `path`: a folder (every scenario in it), or one file (only that one).
    pub fn new(path: &Path) -> std::io::Result<Self> {
        let canonical = path.canonicalize()?;
        if canonical.is_dir() {
            return Ok(Self {
                root: canonical,
                only: None,
            });
        }
        let name = canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let root = canonical
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        Ok(Self { root, only: name })
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The scenario files (`*.toml`) served, by name, sorted.
    pub fn scenarios(&self) -> std::io::Result<Vec<String>> {
        if let Some(only) = &self.only {
            return Ok(vec![only.clone()]);
        }
        let mut names: Vec<String> = std::fs::read_dir(&self.root)?
            .filter_map(Result::ok)
            .filter(|entry| entry.path().is_file())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| {
                Path::new(name)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
            })
            .collect();
        names.sort();
        Ok(names)
    }

    /// The file `name` (relative, as in a URL) inside the folder. A name that could lead
    /// outside it (`..`, an absolute path, a link that leaves the folder) is [`Unservable::Outside`].
    pub fn resolve(&self, name: &str) -> Result<PathBuf, Unservable> {
        let relative = Path::new(name);
        let plain = !name.is_empty()
            && relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        if !plain {
            return Err(Unservable::Outside);
        }
        if self.only.as_deref().is_some_and(|only| only != name) {
            return Err(Unservable::Missing);
        }
        let path = self
            .root
            .join(relative)
            .canonicalize()
            .map_err(|_| Unservable::Missing)?;
        if !path.starts_with(&self.root) {
            return Err(Unservable::Outside);
        }
        if path.is_file() {
            Ok(path)
        } else {
            Err(Unservable::Missing)
        }
    }
}

/// Why a name in a URL names no served file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unservable {
    /// It leads outside the served folder.
    Outside,
    /// No such file is served.
    Missing,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_names_that_leave_the_folder() {
        let dir = std::env::temp_dir().join(format!("akkoord-web-folder-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).expect("temp folder");
        std::fs::write(dir.join("sub/a.toml"), "format = 1\n").expect("temp file");
        let served = ServedFolder::new(&dir.join("sub")).expect("served");
        assert!(served.resolve("a.toml").is_ok());
        for outside in [
            "../sub/a.toml",
            "/etc/passwd",
            "",
            ".",
            "./a.toml",
            "x/../a.toml",
        ] {
            assert_eq!(
                served.resolve(outside),
                Err(Unservable::Outside),
                "{outside}"
            );
        }
        assert_eq!(served.resolve("missing.toml"), Err(Unservable::Missing));
        assert_eq!(served.scenarios().expect("list"), vec!["a.toml"]);
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
