//! Reading a file that should hold a plan (or a plan to import): the one
//! place plan bytes come from disk. Only a regular file is read, after any
//! symlinks are followed, and only up to `MAX_PLAN_BYTES`: a path that
//! names `/dev/zero`, a FIFO or a folder is refused at once instead of
//! reading forever or waiting for a writer that never comes.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use super::LoadError;

/// The largest plan read: 256 MiB, some twenty times the largest plan a
/// team writes by hand or generates, and far less than the memory its
/// model takes.
pub const MAX_PLAN_BYTES: u64 = 256 * 1024 * 1024;

/// The bytes of the regular file at `path` (symlinks followed). A file
/// that is not one (a folder, a FIFO, a device, a socket), or that holds
/// more than `MAX_PLAN_BYTES`, is refused before anything is read.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    read_within(path, MAX_PLAN_BYTES).map_err(|refusal| match refusal {
        Refusal::Io(source) => LoadError::Io {
            path: path.to_owned(),
            source,
        },
        Refusal::Folder => LoadError::IsDirectory {
            path: path.to_owned(),
        },
        Refusal::NotAFile(kind) => LoadError::NotAFile {
            path: path.to_owned(),
            kind,
        },
        Refusal::TooLarge(size) => too_large(path, size),
    })
}

/// As `read_bytes`, for a file gantry reads that is not a plan (a recovery
/// file, the config file), with its own `limit`: a refusal is an error of
/// kind `InvalidInput` whose words say why, to follow the file's name
/// ("it is a FIFO (named pipe), not a regular file, so it was not read").
/// A missing file is an error of kind `NotFound`, as from `std::fs::read`.
pub fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let refused = |words: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, words);
    read_within(path, limit).map_err(|refusal| match refusal {
        Refusal::Io(error) => error,
        Refusal::Folder => refused("it is a folder, not a file".to_owned()),
        Refusal::NotAFile(kind) => refused(format!(
            "it is {kind}, not a regular file, so it was not read"
        )),
        Refusal::TooLarge(size) => refused(format!(
            "it holds {}, more than the {} such a file may hold, so it was not read",
            describe_size(size),
            describe_size(limit)
        )),
    })
}

/// Why `read_within` read nothing.
enum Refusal {
    Io(std::io::Error),
    Folder,
    NotAFile(&'static str),
    TooLarge(u64),
}

/// The bytes of the regular file at `path`, if it holds at most `limit`.
fn read_within(path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
    let mut file = open(path).map_err(Refusal::Io)?;
    let metadata = file.metadata().map_err(Refusal::Io)?;
    if metadata.is_dir() {
        return Err(Refusal::Folder);
    }
    if !metadata.is_file() {
        return Err(Refusal::NotAFile(kind_of(&metadata)));
    }
    let size = metadata.len();
    if size > limit {
        return Err(Refusal::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // A file that grows while it is read is still cut at the limit.
    (&mut file)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The bytes at `path` as `read_bytes` gives them, or None when there is
/// no file there.
pub fn read_if_present(path: &Path) -> Result<Option<Vec<u8>>, LoadError> {
    match read_bytes(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(LoadError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// Opens for reading without waiting: opening a FIFO for reading blocks
/// until a writer comes, unless `O_NONBLOCK`. On a regular file the flag
/// changes nothing, so the file is read as it was opened.
#[cfg(target_os = "linux")]
fn open(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
}

/// Elsewhere the kind is looked at before opening.
#[cfg(not(target_os = "linux"))]
fn open(path: &Path) -> std::io::Result<File> {
    if let Ok(metadata) = std::fs::metadata(path)
        && !metadata.is_file()
        && !metadata.is_dir()
    {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{}, not a regular file", kind_of(&metadata)),
        ));
    }
    File::open(path)
}

/// What a file that is not a regular one is, in words.
fn kind_of(metadata: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if metadata.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

fn too_large(path: &Path, size: u64) -> LoadError {
    LoadError::TooLarge {
        path: path.to_owned(),
        size,
    }
}

/// "300 MiB", "1.5 GiB" (or "6 bytes", "12 KiB"): a size as the refusal
/// states it.
pub fn describe_size(size: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let mib = size as f64 / MIB;
    if size < 1024 {
        format!("{size} bytes")
    } else if size < 1024 * 1024 {
        format!("{:.0} KiB", size as f64 / 1024.0)
    } else if mib >= 1024.0 {
        format!("{:.1} GiB", mib / 1024.0)
    } else {
        format!("{mib:.0} MiB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_stated_in_mebibytes_or_gibibytes() {
        assert_eq!(describe_size(300 * 1024 * 1024), "300 MiB");
        assert_eq!(describe_size(MAX_PLAN_BYTES + 1), "256 MiB");
        assert_eq!(describe_size(3 * 1024 * 1024 * 1024 / 2), "1.5 GiB");
        assert_eq!(describe_size(12 * 1024), "12 KiB");
    }

    #[test]
    fn a_regular_file_is_read_whole() {
        let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = folder.path().join("plan.toml");
        std::fs::write(&path, "a = 1\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read_bytes(&path).ok(), Some(b"a = 1\n".to_vec()));
        assert!(matches!(
            read_if_present(&folder.path().join("none")),
            Ok(None)
        ));
        assert!(matches!(
            read_bytes(folder.path()),
            Err(LoadError::IsDirectory { .. })
        ));
    }

    #[test]
    fn a_file_that_is_not_a_plan_is_refused_in_words() {
        let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = folder.path().join("config.toml");
        std::fs::write(&path, "a = 1\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read_regular(&path, 6).ok(), Some(b"a = 1\n".to_vec()));
        let error = read_regular(&path, 5).err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "it holds 6 bytes, more than the 5 bytes such a file may hold, so it was not read"
            )
        );
        let missing = read_regular(&folder.path().join("none"), 5).err();
        assert_eq!(
            missing.map(|e| e.kind()),
            Some(std::io::ErrorKind::NotFound)
        );
        #[cfg(unix)]
        {
            let error = read_regular(Path::new("/dev/zero"), 5)
                .err()
                .map(|e| e.to_string());
            assert_eq!(
                error.as_deref(),
                Some("it is a character device, not a regular file, so it was not read")
            );
        }
    }
}
