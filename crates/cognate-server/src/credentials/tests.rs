use std::time::Duration;

use super::*;

fn pair(id: &str, secret: &str) -> String {
    format!("[{id}]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n")
}

async fn secret_of(creds: &Credentials, id: &str) -> Option<Vec<u8>> {
    creds.keys().await.secret(id).map(<[u8]>::to_vec)
}

#[test]
fn nothing_configured_is_none() {
    assert!(matches!(Credentials::load(None, None), Ok(None)));
}

#[test]
fn a_file_that_does_not_load_stops_the_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    let err = Credentials::load(None, Some(&missing))
        .map(|_| ())
        .expect_err("missing");
    assert!(format!("{err:#}").contains("credentials file"), "{err:#}");
    let broken = dir.path().join("broken");
    std::fs::write(&broken, "[a]\naws_secret_access_key = hunter2\n").expect("write");
    let err = Credentials::load(None, Some(&broken))
        .map(|_| ())
        .expect_err("broken");
    let text = format!("{err:#}");
    assert!(
        text.contains("no aws_access_key_id") && !text.contains("hunter2"),
        "{text}"
    );
}

#[test]
fn debug_hides_the_secret() {
    let key = AccessKey::new("AKIA1", "hunter2").expect("key");
    assert!(!format!("{key:?}").contains("hunter2"));
    assert!(AccessKey::new("", "x").is_err());
    assert!(AccessKey::new("A B", "x").is_err());
    assert!(AccessKey::new("A", "").is_err());
}

#[tokio::test]
async fn the_environment_pair_wins_over_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("credentials");
    std::fs::write(&path, pair("SAME", "from-file") + &pair("OTHER", "other")).expect("write");
    let fixed = AccessKey::new("SAME", "from-env").expect("key");
    let creds = Credentials::load(Some(fixed), Some(&path))
        .expect("load")
        .expect("configured");
    assert_eq!(secret_of(&creds, "SAME").await, Some(b"from-env".to_vec()));
    assert_eq!(secret_of(&creds, "OTHER").await, Some(b"other".to_vec()));
    assert_eq!(secret_of(&creds, "NONE").await, None);
}

#[tokio::test]
async fn the_file_is_reloaded_when_it_changes_and_kept_when_it_breaks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("credentials");
    std::fs::write(&path, pair("ONE", "s1")).expect("write");
    let creds = Credentials::load(None, Some(&path))
        .expect("load")
        .expect("configured");
    assert_eq!(secret_of(&creds, "ONE").await, Some(b"s1".to_vec()));

    std::fs::write(&path, pair("TWO", "s2-longer")).expect("write");
    // Not looked at again within the interval...
    assert_eq!(secret_of(&creds, "TWO").await, None);
    tokio::time::sleep(RELOAD_INTERVAL + Duration::from_millis(100)).await;
    // ...but after it.
    assert_eq!(secret_of(&creds, "TWO").await, Some(b"s2-longer".to_vec()));
    assert_eq!(secret_of(&creds, "ONE").await, None);

    std::fs::write(&path, "[broken\n").expect("write");
    tokio::time::sleep(RELOAD_INTERVAL + Duration::from_millis(100)).await;
    assert_eq!(secret_of(&creds, "TWO").await, Some(b"s2-longer".to_vec()));

    std::fs::remove_file(&path).expect("remove");
    tokio::time::sleep(RELOAD_INTERVAL + Duration::from_millis(100)).await;
    assert_eq!(secret_of(&creds, "TWO").await, Some(b"s2-longer".to_vec()));
}
