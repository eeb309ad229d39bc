//! Where filings come from on disk: files, directories (recursively) and `.zip` archives.

use std::{
    fs,
    io::Read,
    path::{Path, PathBuf},
};

/// One input document: its name (a path, or `archive.zip!/inner/path`) and its bytes.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where the bytes came from.
    pub name: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
}

/// A path that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {message}")]
pub struct SourceError {
    /// The file or archive entry.
    pub name: String,
    /// What went wrong.
    pub message: String,
}

impl SourceError {
    fn new(name: impl Into<String>, message: impl std::fmt::Display) -> Self {
        SourceError { name: name.into(), message: message.to_string() }
    }
}

/// Extensions read when walking a directory; files named explicitly are always read.
const FILING_EXTENSIONS: &[&str] = &["xml", "txt", "nc", "sgml", "zip"];

enum Pending {
    Path { path: PathBuf, explicit: bool },
    Zip { name: String, archive: Box<zip::ZipArchive<fs::File>>, next: usize },
}

/// Walks the given paths in order, directories sorted by name, and yields each document.
///
/// Reading is lazy, one document at a time, so a directory of a million filings needs no more
/// memory than its largest file.
pub struct Documents {
    stack: Vec<Pending>,
}

impl Documents {
    /// Documents under `paths`, in the order given.
    pub fn new<P: AsRef<Path>>(paths: &[P]) -> Self {
        let stack = paths
            .iter()
            .rev()
            .map(|p| Pending::Path { path: p.as_ref().to_path_buf(), explicit: true })
            .collect();
        Documents { stack }
    }
}

fn has_filing_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| FILING_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn is_zip(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

impl Iterator for Documents {
    type Item = Result<Document, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.stack.pop()? {
                Pending::Path { path, explicit } => {
                    let name = path.display().to_string();
                    let meta = match fs::metadata(&path) {
                        Ok(m) => m,
                        Err(e) => return Some(Err(SourceError::new(name, e))),
                    };
                    if meta.is_dir() {
                        let mut entries: Vec<PathBuf> = match fs::read_dir(&path) {
                            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                            Err(e) => return Some(Err(SourceError::new(name, e))),
                        };
                        entries.sort();
                        for p in entries.into_iter().rev() {
                            let hidden = p
                                .file_name()
                                .and_then(|n| n.to_str())
                                .is_some_and(|n| n.starts_with('.'));
                            if !hidden && (p.is_dir() || has_filing_extension(&p)) {
                                self.stack.push(Pending::Path { path: p, explicit: false });
                            }
                        }
                    } else if is_zip(&path) {
                        let opened = fs::File::open(&path)
                            .map_err(|e| e.to_string())
                            .and_then(|f| zip::ZipArchive::new(f).map_err(|e| e.to_string()));
                        match opened {
                            Ok(archive) => self.stack.push(Pending::Zip {
                                name,
                                archive: Box::new(archive),
                                next: 0,
                            }),
                            Err(e) => return Some(Err(SourceError::new(name, e))),
                        }
                    } else if explicit || has_filing_extension(&path) {
                        return Some(
                            fs::read(&path)
                                .map(|bytes| Document { name, bytes })
                                .map_err(|e| SourceError::new(path.display().to_string(), e)),
                        );
                    }
                }
                Pending::Zip { name, mut archive, next } => {
                    if next >= archive.len() {
                        continue;
                    }
                    let item = read_zip_entry(&name, &mut archive, next);
                    self.stack.push(Pending::Zip { name, archive, next: next + 1 });
                    match item {
                        Some(result) => return Some(result),
                        None => continue,
                    }
                }
            }
        }
    }
}

/// Entry `index` of an archive; `None` for directories and non-filing entries.
fn read_zip_entry(
    archive_name: &str,
    archive: &mut zip::ZipArchive<fs::File>,
    index: usize,
) -> Option<Result<Document, SourceError>> {
    let mut entry = match archive.by_index(index) {
        Ok(e) => e,
        Err(e) => return Some(Err(SourceError::new(format!("{archive_name}!#{index}"), e))),
    };
    let inner = entry.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("#{index}"));
    let name = format!("{archive_name}!/{inner}");
    if entry.is_dir() || !has_filing_extension(Path::new(&inner)) || is_zip(Path::new(&inner)) {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(1 << 24));
    Some(match entry.read_to_end(&mut bytes) {
        Ok(_) => Ok(Document { name, bytes }),
        Err(e) => Err(SourceError::new(name, e)),
    })
}
