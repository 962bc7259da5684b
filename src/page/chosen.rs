//! Files the user chose as one input: one file, several, or a folder (picked or
//! dropped), made into the input's files by the core's path rule
//! (`zipfit_core::input::rule`): a file named one by one is read by its content,
//! whatever its name; a folder means its `.jsonl`, `.jsonl.gz` and `.parquet` files,
//! recursively (hidden folders not entered), and its other files are left out and
//! reported; the input order is the names sorted.

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DataTransfer, File, FileList};
use zipfit_core::input::rule;

/// Files chosen as one input.
#[derive(Clone, PartialEq)]
pub struct Chosen {
    /// What the input is called: its one file's name, its folder's, or "N files".
    pub name: String,
    /// Each file with its name in messages (its path from the folder chosen, or its
    /// file name), in input order.
    pub files: Vec<(String, File)>,
    /// The folder's files that are not data, by path.
    pub left_out: Vec<String>,
}

impl Chosen {
    /// Bytes of every file.
    pub fn size(&self) -> f64 {
        self.files.iter().map(|(_, file)| file.size()).sum()
    }
}

/// One file as chosen: its path (with the folder it came from, if any) and whether it
/// came from a folder.
struct Found {
    path: String,
    file: File,
    in_folder: bool,
}

/// The input `found` makes by the rule, or why it makes none.
fn by_rule(found: Vec<Found>) -> Result<Chosen, String> {
    let mut files: Vec<(String, File)> = Vec::new();
    let mut left_out = Vec::new();
    let (loose, in_folders): (Vec<Found>, Vec<Found>) =
        found.into_iter().partition(|f| !f.in_folder);
    let any_loose = !loose.is_empty();
    files.extend(loose.into_iter().map(|f| (f.path, f.file)));
    // Each file's path below the folder chosen, for the rule (the folder's own name
    // does not count: a folder chosen is entered whatever its name).
    let below: Vec<&str> = in_folders
        .iter()
        .map(|f| {
            f.path
                .split_once('/')
                .map_or(f.path.as_str(), |(_, rest)| rest)
        })
        .collect();
    let (data, other) = rule::folder_files(&below);
    let folders: Vec<&str> = in_folders
        .iter()
        .filter_map(|f| f.path.split_once('/').map(|(folder, _)| folder))
        .collect();
    for k in other {
        left_out.push(in_folders[k].path.clone());
    }
    if data.is_empty() && !in_folders.is_empty() && files.is_empty() {
        let folder = folders.first().copied().unwrap_or("the folder");
        let only = match left_out.len() {
            0 => String::new(),
            _ => format!(
                ", only: {}",
                left_out
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Err(format!(
            "{folder}: no .jsonl, .jsonl.gz or .parquet files in this folder{only}"
        ));
    }
    files.extend(
        data.into_iter()
            .map(|k| (in_folders[k].path.clone(), in_folders[k].file.clone())),
    );
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let order = rule::input_order(&names);
    let files: Vec<(String, File)> = order.into_iter().map(|k| files[k].clone()).collect();
    let mut distinct = folders.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let name = match (&files[..], &distinct[..]) {
        ([(name, _)], _) => name.clone(),
        (_, [folder]) if !any_loose => folder.to_string(),
        _ => format!("{} files", files.len()),
    };
    Ok(Chosen {
        name,
        files,
        left_out,
    })
}

/// The input a file picker's list makes: files named one by one, or a folder's files
/// (a picker for folders gives each its path from the folder, `webkitRelativePath`).
pub fn from_list(list: &FileList) -> Result<Chosen, String> {
    let mut found = Vec::new();
    for k in 0..list.length() {
        let Some(file) = list.get(k) else { continue };
        let relative = Reflect::get(&file, &"webkitRelativePath".into())
            .ok()
            .and_then(|p| p.as_string())
            .unwrap_or_default();
        found.push(match relative.is_empty() {
            true => Found {
                path: file.name(),
                file,
                in_folder: false,
            },
            false => Found {
                path: relative,
                file,
                in_folder: true,
            },
        });
    }
    if found.is_empty() {
        return Err("no file was chosen".to_string());
    }
    by_rule(found)
}

#[wasm_bindgen(inline_js = r#"
// Folders dropped are read through the entries API; its items exist only during the
// drop event, so they are taken at once and walked afterwards.
export function dropped_files(transfer) {
  const entries = [...(transfer.items ?? [])]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.())
    .filter(Boolean);
  const loose = entries.length === 0 ? [...(transfer.files ?? [])] : [];
  const read = (entry) => new Promise((resolve, reject) => entry.file(resolve, reject));
  const list = (reader) => new Promise((resolve, reject) => reader.readEntries(resolve, reject));
  const walk = async (entry, out) => {
    if (entry.isFile) {
      out.push({ path: entry.fullPath.replace(/^\//, ''), file: await read(entry), inFolder: out.inFolder });
      return;
    }
    const reader = entry.createReader();
    for (;;) {
      const batch = await list(reader); // at most 100 entries a call
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, out);
    }
  };
  return (async () => {
    const out = loose.map((file) => ({ path: file.name, file, inFolder: false }));
    for (const entry of entries) {
      out.inFolder = entry.isDirectory;
      await walk(entry, out);
    }
    return out;
  })();
}
"#)]
extern "C" {
    fn dropped_files(transfer: &DataTransfer) -> Promise;
}

/// Starts reading what was dropped (synchronously, while the drop event lasts); the
/// future gives the input it makes by the rule.
pub fn from_drop(
    transfer: &DataTransfer,
) -> impl std::future::Future<Output = Result<Chosen, String>> {
    let promise = dropped_files(transfer);
    async move {
        let found = JsFuture::from(promise)
            .await
            .map_err(|e| format!("cannot read what was dropped: {e:?}"))?;
        let found: Array = found.unchecked_into();
        let field = |item: &JsValue, key: &str| Reflect::get(item, &key.into()).ok();
        let found: Vec<Found> = found
            .iter()
            .filter_map(|item| {
                Some(Found {
                    path: field(&item, "path")?.as_string()?,
                    file: field(&item, "file")?.dyn_into().ok()?,
                    in_folder: field(&item, "inFolder")?.as_bool()?,
                })
            })
            .collect();
        if found.is_empty() {
            return Err("nothing that can be read was dropped".to_string());
        }
        by_rule(found)
    }
}
