//! Writing records of a [`Source`] back out as one file: their original lines, read in
//! file order a window at a time, or for Parquet files their rows as one Parquet file.

use std::io::Write;

use super::{Format, InputError, Source, PIECE, WINDOW};

impl Source {
    /// Writes the records `indices` (in that order) to `out` as one file: their original
    /// lines, each followed by `\n`; for Parquet files, a Parquet file of their rows (the
    /// first file's schema and codecs). Lines are read in file order, a window at a time.
    /// With no records, the file is empty, or for Parquet files a Parquet file of no rows.
    pub fn write_records(&self, indices: &[u32], out: &mut dyn Write) -> Result<(), InputError> {
        let mut files = self.files_of(indices.iter().map(|&i| i as usize));
        if files.is_empty() {
            files = (0..self.files.len()).collect();
        }
        self.write_in(&files, indices, out)
    }

    /// Writes records `indices` of file `f` (in that order) as [`Source::write_records`]
    /// does: one output shard per input file.
    pub fn write_file_records(
        &self,
        f: usize,
        indices: &[u32],
        out: &mut dyn Write,
    ) -> Result<(), InputError> {
        debug_assert!(indices
            .iter()
            .all(|&i| self.files[f].records.contains(&(i as usize))));
        self.write_in(&[f], indices, out)
    }

    fn write_in(
        &self,
        files: &[usize],
        indices: &[u32],
        out: &mut dyn Write,
    ) -> Result<(), InputError> {
        self.check_together(files)?;
        if let Some(&first) = files.first() {
            if self.files[first].format == Format::Parquet {
                let rows: Vec<(usize, u64)> = indices
                    .iter()
                    .map(|&i| (self.file_of(i as usize), self.offsets[i as usize]))
                    .collect();
                return self.write_rows(first, &rows, out);
            }
        }
        let mut buffer = Vec::new();
        for window in indices.chunks(WINDOW) {
            let lines: Vec<(usize, u64, u32)> = window
                .iter()
                .map(|&i| {
                    let i = i as usize;
                    (self.file_of(i), self.offsets[i], self.lens[i])
                })
                .collect();
            self.gather(&lines, &mut buffer)?;
            out.write_all(&buffer).map_err(|error| InputError::Io {
                file: "the output".to_string(),
                error,
            })?;
        }
        Ok(())
    }

    /// Writes the lines (or rows) that were skipped, in input order, as one file.
    /// Rows of a row group that could not be decoded cannot be written back: they are
    /// left out, and their number returned.
    pub fn write_skipped(&self, out: &mut dyn Write) -> Result<usize, InputError> {
        let mut lines = Vec::new();
        let mut unreadable = 0;
        for (f, file) in self.files.iter().enumerate() {
            for s in &file.skipped {
                match s.problem {
                    crate::field::Problem::Unreadable(_) => unreadable += 1,
                    _ => lines.push((f, s.offset, s.len)),
                }
            }
        }
        let mut files: Vec<usize> = lines.iter().map(|&(f, _, _)| f).collect();
        files.dedup();
        self.check_together(&files)?;
        if let Some(&first) = files.first() {
            if self.files[first].format == Format::Parquet {
                let rows: Vec<(usize, u64)> = lines.iter().map(|&(f, row, _)| (f, row)).collect();
                return self.write_rows(first, &rows, out).map(|()| unreadable);
            }
        }
        let mut buffer = Vec::new();
        for window in lines.chunks(WINDOW) {
            self.gather(window, &mut buffer)?;
            out.write_all(&buffer).map_err(|error| InputError::Io {
                file: "the output".to_string(),
                error,
            })?;
        }
        Ok(unreadable)
    }

    /// The lines `(file, offset, len)`, in that order, each followed by `\n`, into
    /// `out`: read in file order, lines less than a gap apart in one read.
    fn gather(&self, lines: &[(usize, u64, u32)], out: &mut Vec<u8>) -> Result<(), InputError> {
        const GAP: u64 = 1 << 19;
        let mut at = Vec::with_capacity(lines.len());
        let mut size = 0usize;
        for &(_, _, len) in lines {
            at.push(size);
            size += len as usize + 1;
        }
        out.clear();
        out.resize(size, b'\n');
        let mut by_place: Vec<usize> = (0..lines.len()).collect();
        by_place.sort_unstable_by_key(|&k| (lines[k].0, lines[k].1));
        let mut block = Vec::new();
        let mut first = 0;
        while first < by_place.len() {
            let (file, start, len) = lines[by_place[first]];
            let mut stop = start + len as u64;
            let mut last = first + 1;
            while last < by_place.len() {
                let (f, a, l) = lines[by_place[last]];
                if f != file || a > stop + GAP || a + l as u64 - start > PIECE as u64 {
                    break;
                }
                stop = stop.max(a + l as u64);
                last += 1;
            }
            block.resize((stop - start) as usize, 0);
            self.files[file].read_at(start, &mut block)?;
            for &k in &by_place[first..last] {
                let (_, a, l) = lines[k];
                let line = &block[(a - start) as usize..(a - start) as usize + l as usize];
                out[at[k]..at[k] + line.len()].copy_from_slice(line);
            }
            first = last;
        }
        Ok(())
    }

    #[cfg(not(feature = "parquet"))]
    fn write_rows(
        &self,
        _: usize,
        _: &[(usize, u64)],
        _: &mut dyn Write,
    ) -> Result<(), InputError> {
        unreachable!("Parquet files are not read without the feature")
    }

    /// Writes rows `(file, row)`, in that order, as one Parquet file with the schema and
    /// codecs of file `schema_of`, a window at a time.
    #[cfg(feature = "parquet")]
    fn write_rows(
        &self,
        schema_of: usize,
        rows: &[(usize, u64)],
        out: &mut dyn Write,
    ) -> Result<(), InputError> {
        use crate::parquet::ParquetFile;
        let first = self.files[schema_of]
            .parquet
            .as_ref()
            .expect("a Parquet file keeps its footer");
        let files: Vec<&ParquetFile> = self
            .files
            .iter()
            .map(|file| match &file.parquet {
                Some(side) => &side.file,
                // Rows are only asked of Parquet files (check_one_output), and any
                // file's footer would do for the ones not touched.
                None => &first.file,
            })
            .collect();
        let read = |f: usize| super::parquet_range(&self.files[f].data);
        ParquetFile::write_rows_of_files(&files, rows, WINDOW, read, out).map_err(|error| {
            InputError::Io {
                file: "the output".to_string(),
                error,
            }
        })
    }
}
