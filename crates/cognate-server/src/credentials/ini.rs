//! The AWS shared-credentials file: `[name]` sections holding `aws_access_key_id` and
//! `aws_secret_access_key`. Other keys (`region`, `aws_session_token`, ...) and sections with
//! neither key are ignored. Error messages name lines, sections and key ids, never a secret.

use std::collections::BTreeMap;

use super::AccessKey;

pub fn parse(text: &str) -> Result<Vec<AccessKey>, String> {
    // section name -> (first line, access key id, secret)
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let Some(name) = header.strip_suffix(']') else {
                return Err(format!(
                    "line {line_no}: a section header must end with `]`"
                ));
            };
            let name = name.trim();
            let name = name
                .strip_prefix("profile ")
                .unwrap_or(name)
                .trim()
                .to_owned();
            if name.is_empty() {
                return Err(format!("line {line_no}: empty section name"));
            }
            if sections.contains_key(&name) {
                return Err(format!("line {line_no}: section [{name}] appears twice"));
            }
            sections.insert(name.clone(), Section::default());
            order.push(name.clone());
            current = Some(name);
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!("line {line_no}: expected `key = value`"));
        };
        let Some(section) = current.as_ref().and_then(|c| sections.get_mut(c)) else {
            return Err(format!(
                "line {line_no}: `{}` is outside any [section]",
                key.trim()
            ));
        };
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "aws_access_key_id" => section.id = Some(value.to_owned()),
            "aws_secret_access_key" => section.secret = Some(value.to_owned()),
            _ => {}
        }
    }
    let mut keys: Vec<AccessKey> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for name in order {
        let Some(section) = sections.remove(&name) else {
            continue;
        };
        let (id, secret) = match (section.id, section.secret) {
            (None, None) => continue,
            (Some(id), Some(secret)) => (id, secret),
            (Some(_), None) => {
                return Err(format!(
                    "section [{name}] has aws_access_key_id but no aws_secret_access_key"
                ))
            }
            (None, Some(_)) => {
                return Err(format!(
                    "section [{name}] has aws_secret_access_key but no aws_access_key_id"
                ))
            }
        };
        let key = AccessKey::new(id, secret).map_err(|e| format!("section [{name}]: {e}"))?;
        if let Some(other) = seen.insert(key.id.clone(), name.clone()) {
            return Err(format!(
                "access key id {} appears in sections [{other}] and [{name}]",
                key.id
            ));
        }
        keys.push(key);
    }
    Ok(keys)
}

#[derive(Default)]
struct Section {
    id: Option<String>,
    secret: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Result<Vec<(String, String)>, String> {
        parse(text).map(|keys| {
            keys.into_iter()
                .map(|k| {
                    (
                        k.id.clone(),
                        String::from_utf8_lossy(k.secret()).into_owned(),
                    )
                })
                .collect()
        })
    }

    #[test]
    fn several_sections() {
        let text = "\
# admin keys
[default]
aws_access_key_id = AKIAONE
aws_secret_access_key = secret/one+x=

[profile ci]
region = eu-west-1
AWS_ACCESS_KEY_ID=AKIATWO
aws_secret_access_key=two
aws_session_token = ignored

[only-region]
region = us-east-1
";
        assert_eq!(
            ids(text),
            Ok(vec![
                ("AKIAONE".into(), "secret/one+x=".into()),
                ("AKIATWO".into(), "two".into())
            ])
        );
        assert_eq!(ids(""), Ok(vec![]));
    }

    #[test]
    fn errors_never_show_a_secret() {
        let cases = [
            (
                "[a]\naws_secret_access_key = s3cr3t\n",
                "no aws_access_key_id",
            ),
            ("[a]\naws_access_key_id = A\n", "no aws_secret_access_key"),
            ("aws_secret_access_key = s3cr3t\n", "outside any [section]"),
            ("[a\naws_secret_access_key = s3cr3t\n", "line 1"),
            ("[a]\njust s3cr3t text\n", "line 2"),
            ("[a]\n[a]\n", "appears twice"),
            (
                "[a]\naws_access_key_id=A\naws_secret_access_key=s3cr3t\n\
                 [b]\naws_access_key_id=A\naws_secret_access_key=s3cr3t2\n",
                "appears in sections [a] and [b]",
            ),
            (
                "[a]\naws_access_key_id = A/B\naws_secret_access_key = s3cr3t\n",
                "access key id",
            ),
            (
                "[a]\naws_access_key_id = A\naws_secret_access_key =\n",
                "empty",
            ),
        ];
        for (text, needle) in cases {
            let err = parse(text).map(|_| ()).expect_err(text);
            assert!(err.contains(needle), "{err:?} lacks {needle:?}");
            assert!(!err.contains("s3cr3t"), "{err:?} shows the secret");
        }
    }
}
