//! Where outputs may go: never onto an input, nor onto another output of the same run.
//!
//! Two paths name the same file when they reach the same file on disk, whatever the
//! spelling (`./`, `..`), a symbolic link or a hard link. An output that does not exist
//! yet is the same as another path when its folder and name are. `-` (standard input or
//! output) names no file. Every shell checks before it writes anything.
//!
//! A file is written whole or not at all ([`write_whole`]): under a temporary name beside
//! it, renamed to its own once complete, so that a run killed while writing never
//! leaves a truncated file that looks finished.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// An output that would overwrite an input or another output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputError {
    /// The output is one of the inputs.
    #[error("{output} ({output_path}) is the same file as {input} ({input_path}): an output never overwrites an input")]
    IsInput {
        /// How the output was given (`-o`, `--scores`).
        output: String,
        /// Its path.
        output_path: String,
        /// How the input was given (`--source`).
        input: String,
        /// Its path.
        input_path: String,
    },
    /// Two outputs are one file.
    #[error("{first} ({first_path}) and {second} ({second_path}) are the same file: each output needs its own")]
    SameOutput {
        /// How the first output was given.
        first: String,
        /// Its path.
        first_path: String,
        /// How the second output was given.
        second: String,
        /// Its path.
        second_path: String,
    },
}

/// Writes the file `path` with `write`: into `.NAME.zipfit-PID.part` in its folder, then,
/// once `write` returned and the bytes reached the disk, renamed to `NAME` (replacing
/// any old file of that name). On an error the partial file is removed and the old file
/// (if any) is left as it was.
pub fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let partial = path.with_file_name(format!(
        ".{}.zipfit-{}.part",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&partial)?);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&partial, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// What a path reaches: the file itself when it exists, else where it would be made.
#[derive(Debug, PartialEq, Eq)]
enum Identity {
    #[cfg(unix)]
    File {
        device: u64,
        inode: u64,
    },
    Path(PathBuf),
}

fn identity(path: &Path) -> io::Result<Option<Identity>> {
    if path == Path::new("-") {
        return Ok(None);
    }
    match std::fs::metadata(path) {
        #[cfg(unix)]
        Ok(meta) => {
            use std::os::unix::fs::MetadataExt;
            Ok(Some(Identity::File {
                device: meta.dev(),
                inode: meta.ino(),
            }))
        }
        #[cfg(not(unix))]
        Ok(_) => Ok(Some(Identity::Path(std::fs::canonicalize(path)?))),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            // Not made yet: where it would be, by its folder's real path and its name.
            let folder = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            Ok(Some(Identity::Path(folder.join(name))))
        }
        Err(error) => Err(error),
    }
}

/// Checks that no output (`(how it was given, path)`) is one of `inputs` or another
/// output. Paths that cannot be examined are left to the write itself to report.
pub fn check(inputs: &[(&str, &Path)], outputs: &[(&str, &Path)]) -> Result<(), OutputError> {
    let known = |paths: &[(&str, &Path)]| -> Vec<(String, String, Identity)> {
        paths
            .iter()
            .filter_map(|&(how, path)| {
                let identity = identity(path).ok().flatten()?;
                Some((how.to_string(), path.display().to_string(), identity))
            })
            .collect()
    };
    let inputs = known(inputs);
    let outputs = known(outputs);
    for (n, (output, output_path, id)) in outputs.iter().enumerate() {
        if let Some((input, input_path, _)) = inputs.iter().find(|(_, _, i)| i == id) {
            return Err(OutputError::IsInput {
                output: output.clone(),
                output_path: output_path.clone(),
                input: input.clone(),
                input_path: input_path.clone(),
            });
        }
        if let Some((first, first_path, _)) = outputs[..n].iter().find(|(_, _, o)| o == id) {
            return Err(OutputError::SameOutput {
                first: first.clone(),
                first_path: first_path.clone(),
                second: output.clone(),
                second_path: output_path.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_an_input_is_refused() {
        let dir = std::env::temp_dir().join(format!("zipfit-outputs-{}", std::process::id()));
        let sub = dir.join("sub");
        std::fs::create_dir_all(&sub).unwrap();
        let data = dir.join("data.jsonl");
        std::fs::write(&data, "{}\n").unwrap();
        let inputs = [("--source", data.as_path())];
        let dotted = sub.join("..").join(".").join("data.jsonl");
        let hard = dir.join("hard.jsonl");
        let _ = std::fs::remove_file(&hard);
        std::fs::hard_link(&data, &hard).unwrap();
        let mut spellings = vec![data.clone(), dotted, hard];
        #[cfg(unix)]
        {
            let link = dir.join("link.jsonl");
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(&data, &link).unwrap();
            spellings.push(link);
        }
        for spelling in &spellings {
            let error = check(&inputs, &[("-o", spelling.as_path())]).unwrap_err();
            assert!(
                matches!(error, OutputError::IsInput { .. }),
                "{spelling:?}: {error}"
            );
            assert!(error.to_string().contains("-o ("), "{error}");
            assert!(error.to_string().contains("--source ("), "{error}");
        }
        // Two outputs, one not made yet, spelled two ways.
        let new = dir.join("new.jsonl");
        let new_dotted = sub.join("..").join("new.jsonl");
        let error = check(
            &inputs,
            &[("--scores", new.as_path()), ("-o", new_dotted.as_path())],
        );
        assert!(matches!(error, Err(OutputError::SameOutput { .. })));
        // Distinct files, and standard output twice, are fine.
        let other = dir.join("other.jsonl");
        let out = [("--scores", new.as_path()), ("-o", other.as_path())];
        assert_eq!(check(&inputs, &out), Ok(()));
        let dash = [("--scores", Path::new("-")), ("-o", Path::new("-"))];
        assert_eq!(check(&[("--source", Path::new("-"))], &dash), Ok(()));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_is_written_whole_or_not_at_all() {
        let dir = std::env::temp_dir().join(format!("zipfit-whole-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("kept.jsonl");
        std::fs::write(&path, "old\n").unwrap();
        let failed = write_whole(&path, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("stopped"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old\n");
        write_whole(&path, |out| out.write_all(b"new\n")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new\n");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no partial file is left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
