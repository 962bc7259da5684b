//! Which files a path names: the one rule every shell uses for a source or a target.
//!
//! A path is a file (read by its content, whatever its name), a folder (its `*.jsonl`,
//! `*.jsonl.gz` and `*.parquet` files, recursively; other files are left out and
//! reported, hidden folders such as `.git` are not entered), or a glob (`*`, `?`, `[..]`;
//! quote it so the shell leaves it alone). Several paths name the union of their files,
//! each once, and the input order is the paths sorted.

use std::fs;
use std::path::{Path, PathBuf};

use super::rule::is_hidden_folder;
pub use super::rule::{is_data_name, DATA_SUFFIXES};

/// Why a path names no data file.
#[derive(Debug, thiserror::Error)]
pub enum PathError {
    /// Nothing exists at the path, and it is not a glob.
    #[error("{0}: no such file or folder")]
    Missing(String),
    /// A folder without data files.
    #[error("{folder}: no .jsonl, .jsonl.gz or .parquet files in this folder{left_out}")]
    EmptyFolder {
        /// The folder as given.
        folder: String,
        /// ", only: a, b" naming what it holds, or nothing.
        left_out: String,
    },
    /// A glob that matches no file.
    #[error("{0}: the pattern matches no files")]
    NoMatch(String),
    /// A glob that cannot be parsed.
    #[error("{pattern}: not a valid pattern: {message}")]
    BadPattern {
        /// The pattern as given.
        pattern: String,
        /// What is wrong with it.
        message: String,
    },
    /// A folder or file that cannot be listed or examined.
    #[error("{path}: {error}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        error: std::io::Error,
    },
}

/// One file a path named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The file.
    pub path: PathBuf,
    /// Its name in messages: the path as found.
    pub name: String,
    /// Its name below the folder it was found in (its file name when named directly or
    /// by a glob): the name its shard of a selection takes in an output folder.
    pub relative: PathBuf,
}

/// The files `paths` name, in input order, and the files their folders held that are
/// not data (left out, to be reported).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// The data files, sorted by path, each once.
    pub files: Vec<Found>,
    /// Files in the folders given that are not `.jsonl`, `.jsonl.gz` or `.parquet`.
    pub left_out: Vec<PathBuf>,
}

/// True when `path` is a glob rather than a plain path.
pub fn is_glob(path: &str) -> bool {
    path.contains(['*', '?', '['])
}

/// The files `paths` name, by the rule of this module.
pub fn resolve<P: AsRef<Path>>(paths: &[P]) -> Result<Resolved, PathError> {
    let mut resolved = Resolved::default();
    for path in paths {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let io = |error| PathError::Io {
            path: shown.clone(),
            error,
        };
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let before = resolved.files.len();
                let mut left_out = Vec::new();
                walk(path, path, &mut resolved.files, &mut left_out).map_err(io)?;
                if resolved.files.len() == before {
                    let names: Vec<String> = left_out
                        .iter()
                        .take(5)
                        .map(|p: &PathBuf| p.display().to_string())
                        .collect();
                    let left_out = if names.is_empty() {
                        String::new()
                    } else {
                        format!(", only: {}", names.join(", "))
                    };
                    return Err(PathError::EmptyFolder {
                        folder: shown,
                        left_out,
                    });
                }
                resolved.left_out.extend(left_out);
            }
            Ok(_) => resolved.files.push(Found {
                name: shown.clone(),
                path: path.to_path_buf(),
                relative: path.file_name().map(PathBuf::from).unwrap_or_default(),
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound && is_glob(&shown) => {
                let before = resolved.files.len();
                matching(&shown, &mut resolved.files)?;
                if resolved.files.len() == before {
                    return Err(PathError::NoMatch(shown));
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(PathError::Missing(shown))
            }
            Err(error) => return Err(io(error)),
        }
    }
    // By the paths' bytes, as a plain string sort (Python's `sorted`) orders them, not
    // component by component.
    resolved
        .files
        .sort_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    resolved.files.dedup_by(|a, b| a.path == b.path);
    resolved.left_out.sort();
    resolved.left_out.dedup();
    Ok(resolved)
}

/// Adds the data files below `folder` to `files` and the others to `left_out`.
fn walk(
    root: &Path,
    folder: &Path,
    files: &mut Vec<Found>,
    left_out: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        // Follows links, as a shell's glob does.
        let meta = fs::metadata(&path)?;
        if meta.is_dir() {
            if !is_hidden_folder(&name) {
                walk(root, &path, files, left_out)?;
            }
        } else if is_data_name(&name) {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            files.push(Found {
                name: path.display().to_string(),
                path,
                relative,
            });
        } else {
            left_out.push(path);
        }
    }
    Ok(())
}

/// Adds the files `pattern` matches to `files`.
fn matching(pattern: &str, files: &mut Vec<Found>) -> Result<(), PathError> {
    let bad = |message: String| PathError::BadPattern {
        pattern: pattern.to_string(),
        message,
    };
    let paths = glob::glob(pattern).map_err(|e| bad(e.to_string()))?;
    for path in paths {
        let path = path.map_err(|e| PathError::Io {
            path: e.path().display().to_string(),
            error: std::io::Error::new(e.error().kind(), e.error().to_string()),
        })?;
        if path.is_file() {
            let relative = path.file_name().map(PathBuf::from).unwrap_or_default();
            files.push(Found {
                name: path.display().to_string(),
                path,
                relative,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(resolved: &Resolved, root: &Path) -> Vec<String> {
        resolved
            .files
            .iter()
            .map(|f| f.path.strip_prefix(root).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn a_folder_a_glob_and_files_name_data_files_in_sorted_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("data/sub")).unwrap();
        fs::create_dir_all(root.join("data/.git")).unwrap();
        for name in [
            "data/b.jsonl",
            "data/a.parquet",
            "data/sub/c.jsonl.gz",
            "data/README.md",
            "data/.gitattributes",
            "data/.git/config.jsonl",
        ] {
            fs::write(root.join(name), b"x").unwrap();
        }
        let folder = resolve(&[root.join("data")]).unwrap();
        assert_eq!(
            names(&folder, root),
            ["data/a.parquet", "data/b.jsonl", "data/sub/c.jsonl.gz"]
        );
        assert_eq!(folder.files[2].relative, Path::new("sub/c.jsonl.gz"));
        assert_eq!(folder.left_out.len(), 2, "README.md and .gitattributes");

        let glob = resolve(&[root.join("data/*.jsonl")]).unwrap();
        assert_eq!(names(&glob, root), ["data/b.jsonl"]);

        // The union of what each path names, each file once, sorted.
        let both = resolve(&[root.join("data/b.jsonl"), root.join("data")]).unwrap();
        assert_eq!(names(&both, root), names(&folder, root));
        // A file named directly is read whatever its name.
        let readme = resolve(&[root.join("data/README.md")]).unwrap();
        assert_eq!(names(&readme, root), ["data/README.md"]);
    }

    #[test]
    fn input_order_is_a_plain_sort_of_the_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("a")).unwrap();
        fs::write(root.join("a/b.jsonl"), b"x").unwrap();
        fs::write(root.join("a-b.jsonl"), b"x").unwrap();
        let both = resolve(&[root.join("a"), root.join("a-b.jsonl")]).unwrap();
        // '-' sorts before '/', as a string sort has it.
        assert_eq!(names(&both, root), ["a-b.jsonl", "a/b.jsonl"]);
    }

    #[test]
    fn a_path_that_names_no_data_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let missing = resolve(&[root.join("nothing.jsonl")]).unwrap_err();
        assert!(matches!(missing, PathError::Missing(_)), "{missing}");
        let no_match = resolve(&[root.join("*.parquet")]).unwrap_err();
        assert!(matches!(no_match, PathError::NoMatch(_)), "{no_match}");
        fs::write(root.join("README.md"), b"x").unwrap();
        let empty = resolve(&[root]).unwrap_err().to_string();
        assert!(
            empty.contains("no .jsonl, .jsonl.gz or .parquet files"),
            "{empty}"
        );
        assert!(empty.contains("README.md"), "{empty}");
    }
}
