//! Where `waymark deploy` puts the site, as people write it on the command line or as
//! site.yaml's `deploy:`: `s3://BUCKET[/PREFIX][?endpoint=URL&region=R]` or `git:BRANCH`.
//! Read here, below the config, so that a mistyped `deploy:` fails at its line in every command.
//! The target never holds credentials: those come from the environment and AWS profile files.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An S3 bucket (AWS, Cloudflare R2, any S3-compatible storage).
    S3 {
        bucket: String,
        /// Key prefix without slashes at either end ("" for the bucket's root).
        prefix: String,
        endpoint: Option<String>,
        region: Option<String>,
    },
    /// A branch of the site's Git repository that holds only the site.
    Git { branch: String },
}

impl Target {
    /// Read a target; the error says what is wrong and how to write it.
    pub fn parse(text: &str) -> Result<Target, String> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("s3://") {
            return parse_s3(rest);
        }
        if let Some(branch) = text.strip_prefix("git:") {
            check_branch(branch)?;
            return Ok(Target::Git {
                branch: branch.to_string(),
            });
        }
        Err(format!(
            "`{text}` is not a deploy target: write s3://BUCKET[/PREFIX] (S3, R2 or another S3-compatible storage) or git:BRANCH (a pages branch, e.g. git:gh-pages)"
        ))
    }
}

impl fmt::Display for Target {
    /// The target as written, without its query (an endpoint is shown where it matters).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::S3 { bucket, prefix, .. } if prefix.is_empty() => write!(f, "s3://{bucket}"),
            Target::S3 { bucket, prefix, .. } => write!(f, "s3://{bucket}/{prefix}"),
            Target::Git { branch } => write!(f, "git:{branch}"),
        }
    }
}

fn parse_s3(rest: &str) -> Result<Target, String> {
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (bucket, prefix) = path.split_once('/').unwrap_or((path, ""));
    check_bucket(bucket)?;
    let prefix = prefix.trim_matches('/');
    if prefix.split('/').any(|s| s == "." || s == "..") || prefix.contains("//") {
        return Err(format!(
            "s3://{bucket}/{prefix}: a prefix is folder names separated by single slashes, without . or .."
        ));
    }
    let mut endpoint = None;
    let mut region = None;
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "endpoint" => {
                check_endpoint(&value)?;
                endpoint = Some(value.into_owned());
            }
            "region" if !value.trim().is_empty() => region = Some(value.trim().to_string()),
            other => {
                return Err(format!(
                    "s3://{bucket}: `{other}` is not a setting of an S3 target: it takes ?endpoint=URL and &region=R (credentials go in the environment or ~/.aws/credentials, never here)"
                ))
            }
        }
    }
    Ok(Target::S3 {
        bucket: bucket.to_string(),
        prefix: prefix.to_string(),
        endpoint,
        region,
    })
}

/// S3's rules for bucket names (R2 and the others follow them), with upper case and `_` allowed
/// for old AWS buckets that have them.
fn check_bucket(bucket: &str) -> Result<(), String> {
    let ok_chars = bucket
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if (3..=63).contains(&bucket.len()) && ok_chars {
        Ok(())
    } else {
        Err(format!(
            "`{bucket}` is not a bucket name: write the name of the bucket as the provider shows it, 3 to 63 letters, digits, dots and hyphens (s3://my-site or s3://my-site/prefix)"
        ))
    }
}

/// An endpoint is a web address of the storage's API.
pub fn check_endpoint(endpoint: &str) -> Result<(), String> {
    match url::Url::parse(endpoint) {
        // Credentials in the address would be printed in messages and kept in shell history.
        Ok(u) if !u.username().is_empty() || u.password().is_some() => Err(
            "the endpoint holds a user name or password: give the storage's address alone, and the keys in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)".into(),
        ),
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            if u.path() != "/" || u.query().is_some() {
                return Err(format!(
                    "endpoint `{endpoint}` has a path: give the storage's address alone ({}://{}), and the bucket and folder in the target, s3://BUCKET/FOLDER",
                    u.scheme(),
                    u.host_str().unwrap_or_default()
                ));
            }
            Ok(())
        }
        _ => Err(format!(
            "endpoint `{endpoint}` is not a web address: write the storage's API address, e.g. https://<account>.r2.cloudflarestorage.com or http://127.0.0.1:9000"
        )),
    }
}

/// Git's rules for a branch name (`git check-ref-format --branch`), the ones people trip on.
fn check_branch(branch: &str) -> Result<(), String> {
    let bad = branch.is_empty()
        || branch.starts_with('-')
        || branch.starts_with('/')
        || branch.ends_with('/')
        || branch.ends_with(".lock")
        || branch.ends_with('.')
        || branch.contains("..")
        || branch.contains("//")
        || branch.contains("@{")
        || branch
            .chars()
            .any(|c| c.is_control() || " ~^:?*[\\".contains(c));
    if bad {
        Err(format!(
            "`git:{branch}` does not name a branch: write the branch that will hold the site, e.g. git:gh-pages or git:pages"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_is_an_address_alone_without_credentials_or_a_path() {
        assert!(check_endpoint("http://127.0.0.1:9000").is_ok());
        assert!(check_endpoint("https://acc.r2.cloudflarestorage.com/").is_ok());
        let path = check_endpoint("http://127.0.0.1:9000/site").unwrap_err();
        assert!(path.contains("s3://BUCKET/FOLDER"), "{path}");
        let secret = check_endpoint("http://user:pw@127.0.0.1:9000").unwrap_err();
        assert!(
            !secret.contains("pw"),
            "the password is not repeated: {secret}"
        );
    }

    #[test]
    fn reads_targets() {
        assert_eq!(
            Target::parse("s3://my-site").unwrap(),
            Target::S3 {
                bucket: "my-site".into(),
                prefix: "".into(),
                endpoint: None,
                region: None
            }
        );
        assert_eq!(
            Target::parse("s3://b.example/lang-son/?endpoint=http://127.0.0.1:9000&region=auto")
                .unwrap(),
            Target::S3 {
                bucket: "b.example".into(),
                prefix: "lang-son".into(),
                endpoint: Some("http://127.0.0.1:9000".into()),
                region: Some("auto".into())
            }
        );
        assert_eq!(
            Target::parse("git:gh-pages").unwrap(),
            Target::Git {
                branch: "gh-pages".into()
            }
        );
        assert_eq!(
            Target::parse("s3://b1b/a/b").unwrap().to_string(),
            "s3://b1b/a/b"
        );
    }

    #[test]
    fn refuses_with_the_fix() {
        for bad in [
            "bucket",
            "s3://",
            "s3://a",
            "s3://a b c",
            "s3://site/../x",
            "s3://site?secret=x",
            "s3://site?endpoint=localhost:9000",
            "git:",
            "git:a b",
            "git:-x",
            "git:a..b",
        ] {
            let e = Target::parse(bad).unwrap_err();
            assert!(e.contains(": "), "{bad}: {e}");
        }
    }
}
