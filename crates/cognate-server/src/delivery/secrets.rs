//! Delivery secrets (the SMTP password, the SMS webhook key) come from a file or an environment
//! variable, never a flag's value, and are never logged.

use std::path::Path;

use anyhow::Context;

/// The secret in `file` (its first line, trimmed), else in the environment variable `env`.
pub fn read(env: &str, file: Option<&Path>) -> anyhow::Result<Option<String>> {
    if let Some(path) = file {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let line = text.lines().next().unwrap_or("").trim();
        anyhow::ensure!(!line.is_empty(), "{} is empty", path.display());
        return Ok(Some(line.to_owned()));
    }
    Ok(std::env::var(env).ok().filter(|v| !v.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_first_line() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("s");
        std::fs::write(&p, "  s3cret \nignored\n")?;
        assert_eq!(
            read("COGNATE_TEST_UNSET_SECRET", Some(&p))?,
            Some("s3cret".into())
        );
        std::fs::write(&p, "\n")?;
        assert!(read("COGNATE_TEST_UNSET_SECRET", Some(&p)).is_err());
        assert_eq!(read("COGNATE_TEST_UNSET_SECRET", None)?, None);
        Ok(())
    }
}
