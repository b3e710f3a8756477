//! S3 credentials and region, found where the AWS tools look: the environment
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`), then the
//! profile `AWS_PROFILE` (default `default`) of `~/.aws/credentials` and `~/.aws/config` (or the
//! files `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` name). Never site.yaml; the secret
//! is never printed, only where it came from.

use std::path::PathBuf;

pub struct Found {
    pub credentials: rusty_s3::Credentials,
    /// Where they came from, for messages ("the environment", "profile `x` of ~/.aws/credentials").
    pub from: String,
    /// The profile's region, if it names one.
    pub region: Option<String>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn home_file(var: &str, name: &str) -> Option<PathBuf> {
    env(var)
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".aws").join(name)))
}

/// The region from the environment, then the profile's config.
pub fn region_from_env() -> Option<String> {
    env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION"))
}

/// The endpoint from the environment (the AWS tools' own variables).
pub fn endpoint_from_env() -> Option<String> {
    env("AWS_ENDPOINT_URL_S3").or_else(|| env("AWS_ENDPOINT_URL"))
}

pub fn find() -> Result<Found, String> {
    let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".into());
    let config =
        home_file("AWS_CONFIG_FILE", "config").and_then(|p| ini::Ini::load_from_file(p).ok());
    // ~/.aws/config names a profile `[profile x]`, except the default one.
    let config_section = |ini: &ini::Ini| {
        let named = ini.section(Some(format!("profile {profile}"))).cloned();
        named.or_else(|| ini.section(Some(profile.as_str())).cloned())
    };
    let config_section = config.as_ref().and_then(config_section);
    let region = config_section
        .as_ref()
        .and_then(|s| s.get("region").map(str::to_string));
    match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        (Some(key), Some(secret)) => {
            let credentials = match env("AWS_SESSION_TOKEN") {
                Some(t) => rusty_s3::Credentials::new_with_token(key, secret, t),
                None => rusty_s3::Credentials::new(key, secret),
            };
            return Ok(Found {
                credentials,
                from: "the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)".into(),
                region,
            });
        }
        (Some(_), None) => {
            return Err("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both (or neither, to use ~/.aws/credentials)".into())
        }
        (None, Some(_)) => {
            return Err("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both (or neither, to use ~/.aws/credentials)".into())
        }
        (None, None) => {}
    }
    let file = home_file("AWS_SHARED_CREDENTIALS_FILE", "credentials");
    let shared = file.as_ref().and_then(|p| ini::Ini::load_from_file(p).ok());
    let candidates = [
        (
            shared
                .as_ref()
                .and_then(|i| i.section(Some(profile.as_str())).cloned()),
            file.clone(),
        ),
        (config_section, home_file("AWS_CONFIG_FILE", "config")),
    ];
    for (section, path) in candidates {
        let Some(s) = section else { continue };
        let (Some(key), Some(secret)) =
            (s.get("aws_access_key_id"), s.get("aws_secret_access_key"))
        else {
            continue;
        };
        let credentials = match s.get("aws_session_token") {
            Some(t) => rusty_s3::Credentials::new_with_token(key, secret, t),
            None => rusty_s3::Credentials::new(key, secret),
        };
        let path = path.map(|p| p.display().to_string()).unwrap_or_default();
        return Ok(Found {
            credentials,
            from: format!("profile `{profile}` of {path}"),
            region,
        });
    }
    Err(format!(
        "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or write a profile `{profile}` with aws_access_key_id and aws_secret_access_key in ~/.aws/credentials (`aws configure` does), or name another with AWS_PROFILE; for R2 and other providers, the keys of an API token that may write to the bucket"
    ))
}
