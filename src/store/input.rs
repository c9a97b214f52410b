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
    let io_error = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = open(path).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    check_kind(path, &metadata)?;
    let size = metadata.len();
    if size > MAX_PLAN_BYTES {
        return Err(too_large(path, size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // A file that grows while it is read is still cut at the limit.
    (&mut file)
        .take(MAX_PLAN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(too_large(path, bytes.len() as u64));
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

fn check_kind(path: &Path, metadata: &Metadata) -> Result<(), LoadError> {
    if metadata.is_file() {
        return Ok(());
    }
    if metadata.is_dir() {
        return Err(LoadError::IsDirectory {
            path: path.to_owned(),
        });
    }
    Err(LoadError::NotAFile {
        path: path.to_owned(),
        kind: kind_of(metadata),
    })
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

/// "300 MiB", "1.5 GiB": a size as the refusal states it.
pub fn describe_size(size: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let mib = size as f64 / MIB;
    if mib >= 1024.0 {
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
}
