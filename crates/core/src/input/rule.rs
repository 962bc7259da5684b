//! The path rule's parts that need no file system, so that every shell applies them to
//! names alone (the page, to the files of a folder the user dropped or picked).
//!
//! A folder means its `*.jsonl`, `*.jsonl.gz` and `*.parquet` files, recursively; other
//! files are left out (and reported), and hidden folders such as `.git` are not entered.
//! The input order is a plain sort of the names' bytes (Python's `sorted`).

/// The file names a folder is searched for.
pub const DATA_SUFFIXES: [&str; 3] = [".jsonl", ".jsonl.gz", ".parquet"];

/// True when a file's name says it holds data a folder is searched for.
pub fn is_data_name(name: &str) -> bool {
    DATA_SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
}

/// True when a folder of this name is not entered (`.git`, `.cache`, ...).
pub fn is_hidden_folder(name: &str) -> bool {
    name.starts_with('.')
}

/// What a folder holds by the rule: `paths` are its files' paths below it, `/`
/// separated (`sub/part-0.jsonl`). Returns the positions of the data files, in input
/// order, and of the files left out, in name order. A file below a hidden folder is
/// neither.
pub fn folder_files(paths: &[&str]) -> (Vec<usize>, Vec<usize>) {
    let mut data = Vec::new();
    let mut left_out = Vec::new();
    for (k, path) in paths.iter().enumerate() {
        let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let Some(name) = parts.pop() else { continue };
        if parts.iter().any(|folder| is_hidden_folder(folder)) {
            continue;
        }
        if is_data_name(name) {
            data.push(k);
        } else {
            left_out.push(k);
        }
    }
    data.sort_by(|&a, &b| paths[a].as_bytes().cmp(paths[b].as_bytes()));
    left_out.sort_by(|&a, &b| paths[a].as_bytes().cmp(paths[b].as_bytes()));
    (data, left_out)
}

/// Files named one by one (each read by its content, whatever its name) in input
/// order: the positions of `names`, sorted by their bytes, each name once.
pub fn input_order(names: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| names[a].as_bytes().cmp(names[b].as_bytes()));
    order.dedup_by(|a, b| names[*a] == names[*b]);
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_holds_its_data_files_in_byte_order_and_leaves_out_the_rest() {
        let paths = [
            "data/train-1.parquet",
            "README.md",
            ".git/objects/x.jsonl",
            "data/Train-0.jsonl.gz",
            ".gitattributes",
            "data/train-0.jsonl",
            "notes.json",
        ];
        let (data, left_out) = folder_files(&paths);
        let names = |ks: &[usize]| ks.iter().map(|&k| paths[k]).collect::<Vec<_>>();
        assert_eq!(
            names(&data),
            [
                "data/Train-0.jsonl.gz",
                "data/train-0.jsonl",
                "data/train-1.parquet"
            ]
        );
        assert_eq!(
            names(&left_out),
            [".gitattributes", "README.md", "notes.json"]
        );
    }

    #[test]
    fn files_named_one_by_one_are_sorted_and_each_taken_once() {
        let names = ["b.txt", "a.jsonl", "b.txt", "A.parquet"];
        let order: Vec<&str> = input_order(&names).iter().map(|&k| names[k]).collect();
        assert_eq!(order, ["A.parquet", "a.jsonl", "b.txt"]);
    }
}
