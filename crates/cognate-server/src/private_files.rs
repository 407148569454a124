//! Files that hold secrets: the data directory is 0700, the database, its WAL files, the
//! outbox and the master key file are 0600, and a master key file others can read is reported.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates `dir` if needed and makes it private to the owner.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// [`private_dir`], with an error that names the path and says why it cannot be used.
pub fn usable_data_dir(dir: &Path) -> Result<(), String> {
    private_dir(dir).map_err(|e| {
        let why = if dir.exists() && !dir.is_dir() {
            "it exists and is not a directory".to_owned()
        } else if let Some(file) = dir.ancestors().skip(1).find(|p| p.is_file()) {
            format!("{} is a file, not a directory", file.display())
        } else if e.kind() == io::ErrorKind::PermissionDenied {
            format!("permission denied ({e})")
        } else {
            e.to_string()
        };
        format!("data directory {}: cannot be used: {why}", dir.display())
    })
}

/// Makes an existing file private to the owner; a missing one is fine.
pub fn restrict(path: &Path) -> io::Result<()> {
    match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Opens `path` for appending, creating it with mode 0600.
pub fn open_append(path: &Path) -> io::Result<File> {
    let f = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    // A file created by an older version keeps its mode otherwise.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(f)
}

/// Whether someone other than the owner may read `path`.
pub fn readable_by_others(path: &Path) -> io::Result<bool> {
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o077 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        private_dir(&data).expect("dir");
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        let f = data.join("outbox.jsonl");
        std::fs::write(&f, "x").expect("write");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(readable_by_others(&f).expect("stat"));
        open_append(&f).expect("open");
        assert_eq!(mode(&f), 0o600);
        assert!(!readable_by_others(&f).expect("stat"));
        restrict(&data.join("missing")).expect("missing is fine");
    }

    #[test]
    fn unusable_data_dirs_are_named_with_the_reason() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("plain");
        std::fs::write(&file, "x").expect("write");
        let e = usable_data_dir(&file).expect_err("a file");
        assert!(e.contains(&file.display().to_string()), "{e}");
        assert!(e.contains("not a directory"), "{e}");
        let under = file.join("data");
        let e = usable_data_dir(&under).expect_err("under a file");
        assert!(e.contains(&under.display().to_string()), "{e}");
        assert!(e.contains("is a file, not a directory"), "{e}");
    }
}
