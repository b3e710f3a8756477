//! The S3 target: rusty-s3 signs each request (SigV4, as a presigned URL) and reads S3's XML;
//! ureq sends it. Every request is tried again after no answer, a 5xx or a 429, with backoff.
//! Order of a deploy: list the bucket and read the record of the last deploy (`plan`), write
//! the pending keys, upload, and only when every upload succeeded delete the stale objects,
//! write the new record and drop the pending keys.

use super::credentials;
use super::files::Object;
use super::plan::{self, Plan, Remote};
use super::{Options, Summary};
use crate::error::{Diagnostic, Error, Result};
use crate::progress::Progress;
use base64::Engine;
use parking_lot::Mutex;
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use url::Url;

/// How long a signed request stays valid: far longer than any retry.
const EXPIRES: Duration = Duration::from_secs(3600);
/// Tries after the first, waiting 0.25, 0.5, 1 and 2 s: a dead endpoint fails in under 4 s.
const RETRIES: u32 = 4;
/// How long a request may wait for the storage's answer once it is sent.
const ANSWER_WAIT: Duration = Duration::from_secs(10);
const FIRST_WAIT: Duration = Duration::from_millis(250);

pub struct Where<'a> {
    pub bucket: &'a str,
    pub prefix: &'a str,
    pub endpoint: Option<&'a str>,
    pub region: Option<&'a str>,
}

pub fn deploy(to: &Where, objects: &[Object], opts: &Options) -> Result<Summary> {
    let progress = opts.progress.as_deref();
    let client = Client::new(to)?;
    let key_prefix = if to.prefix.is_empty() {
        String::new()
    } else {
        format!("{}/", to.prefix)
    };
    let full = |key: &str| format!("{key_prefix}{key}");

    stage(progress, "listing", 0);
    let remote = client.list(&key_prefix)?;
    let record = match remote.contains_key(plan::RECORD) {
        true => client
            .get(&full(plan::RECORD))?
            .and_then(|b| plan::decode(&b))
            .unwrap_or_default(),
        false => BTreeMap::new(),
    };
    let pending = match remote.contains_key(plan::PENDING) {
        // A pending list that cannot be read trusts nothing of the record.
        true => match client
            .get(&full(plan::PENDING))?
            .and_then(|b| plan::decode_keys(&b))
        {
            Some(keys) => keys,
            None => record.keys().cloned().collect(),
        },
        false => BTreeSet::new(),
    };
    let plan = plan::plan(objects, &remote, &record, &pending, opts.stale);
    let mut summary = Summary {
        target: client.target.clone(),
        uploaded: plan.upload.len(),
        new: plan.new,
        unchanged: plan.unchanged,
        deleted: plan.delete.len(),
        kept: plan.kept.len(),
        bytes: plan.upload.iter().map(|&i| objects[i].size).sum(),
        dry_run: opts.dry_run,
        ..Default::default()
    };
    if opts.dry_run {
        summary.steps = steps(objects, &plan, &remote);
        return Ok(summary);
    }

    if !plan.upload.is_empty() {
        // Every key this run may change, and those an unfinished run left (not yet cleared).
        let keys: BTreeSet<&str> = (plan.upload.iter().map(|&i| objects[i].key.as_str()))
            .chain(pending.iter().map(String::as_str))
            .collect();
        client.put(
            &full(plan::PENDING),
            &plan::encode_keys(keys.into_iter()),
            &[
                ("content-type", "application/gzip".into()),
                ("cache-control", "no-store".into()),
            ],
        )?;
    }
    stage(progress, "uploading", plan.upload.len());
    client.upload_all(objects, &plan, &key_prefix, opts.concurrency, progress)?;
    // Every upload succeeded: now what the site no longer has may go.
    if !plan.delete.is_empty() {
        stage(progress, "deleting", plan.delete.len());
        let keys: Vec<String> = plan.delete.iter().map(|k| full(k)).collect();
        client.delete(&keys, progress)?;
    }
    let next = plan::next_record(objects, &record, &plan);
    if next != record || !pending.is_empty() || !plan.upload.is_empty() {
        client.put(
            &full(plan::RECORD),
            &plan::encode(&next),
            &[
                ("content-type", "application/gzip".into()),
                ("cache-control", "no-store".into()),
            ],
        )?;
    }
    if remote.contains_key(plan::PENDING) || !plan.upload.is_empty() {
        client.delete(&[full(plan::PENDING)], None)?;
    }
    Ok(summary)
}

fn stage(progress: Option<&Progress>, name: &'static str, total: usize) {
    if let Some(p) = progress {
        p.stage(name, total);
    }
}

/// The plan as lines, for `--dry-run`.
fn steps(objects: &[Object], plan: &Plan, remote: &BTreeMap<String, Remote>) -> Vec<String> {
    let mut out = Vec::new();
    for &i in &plan.upload {
        let o = &objects[i];
        let why = if remote.contains_key(&o.key) {
            "changed"
        } else {
            "new"
        };
        out.push(format!(
            "upload  {} ({why}, {} bytes, {})",
            o.key, o.size, o.cache_control
        ));
    }
    out.extend(plan.delete.iter().map(|k| format!("delete  {k}")));
    out.extend(
        plan.kept
            .iter()
            .map(|k| format!("keep    {k} (not the site's)")),
    );
    out
}

struct Client {
    bucket: Bucket,
    credentials: Credentials,
    /// Where the credentials came from (never what they are).
    from: String,
    agent: ureq::Agent,
    endpoint: String,
    target: String,
}

#[derive(Clone, Copy)]
enum Method {
    Get,
    Put,
    Post,
}

impl Client {
    fn new(to: &Where) -> Result<Client> {
        let target = match to.prefix {
            "" => format!("s3://{}", to.bucket),
            p => format!("s3://{}/{p}", to.bucket),
        };
        let fail = |message: String, hint: &str| {
            Error::one(Diagnostic::error(&target, message).hint(hint.to_string()))
        };
        let found = credentials::find().map_err(|why| {
            fail(
                why,
                "credentials are read from the environment or ~/.aws, never from site.yaml",
            )
        })?;
        let region = (to.region.map(str::to_string))
            .or_else(credentials::region_from_env)
            .or(found.region.clone())
            .unwrap_or_else(|| "us-east-1".into());
        let endpoint = to
            .endpoint
            .map(str::to_string)
            .or_else(credentials::endpoint_from_env);
        // A provider's own endpoint takes path-style addresses (R2, MinIO, Ceph and the
        // Vietnamese clouds all do); AWS itself takes the bucket in the host name.
        let (endpoint, style) = match endpoint {
            Some(e) => {
                crate::config::target::check_endpoint(&e)
                    .map_err(|why| fail(why, "pass --endpoint URL"))?;
                (e, UrlStyle::Path)
            }
            None => (
                format!("https://s3.{region}.amazonaws.com"),
                UrlStyle::VirtualHost,
            ),
        };
        let url = Url::parse(&endpoint)
            .map_err(|e| fail(format!("endpoint `{endpoint}`: {e}"), "pass --endpoint URL"))?;
        let bucket = Bucket::new(url, style, to.bucket.to_string(), region).map_err(|e| {
            fail(
                format!("bucket `{}` at {endpoint}: {e}", to.bucket),
                "check the bucket's name and --endpoint",
            )
        })?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            // A storage that takes the request and never answers is given up on (and the
            // request tried again): a stalled proxy or captive portal must not hang a deploy,
            // which holds the site lock. A large body still has the global limit to be sent in.
            .timeout_recv_response(Some(ANSWER_WAIT))
            .timeout_global(Some(Duration::from_secs(300)))
            .max_idle_connections_per_host(64)
            .user_agent(concat!("waymark-deploy/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Client {
            bucket,
            credentials: found.credentials,
            from: found.from,
            agent,
            endpoint,
            target,
        })
    }

    fn list(&self, prefix: &str) -> Result<BTreeMap<String, Remote>> {
        let mut out = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = self.bucket.list_objects_v2(Some(&self.credentials));
            if !prefix.is_empty() {
                action.with_prefix(prefix);
            }
            if let Some(t) = &token {
                action.with_continuation_token(t.as_str());
            }
            // S3, R2 and MinIO answer at most 1,000 keys a page whatever is asked; a server that
            // gives more (s3s-fs walks the whole bucket for every page) takes fewer requests.
            action.with_max_keys(usize::from(u16::MAX));
            let url = action.sign(EXPIRES);
            let answer = self.send("list the bucket", Method::Get, &url, &[], &[])?;
            let text = String::from_utf8_lossy(&answer.body);
            let page = rusty_s3::actions::ListObjectsV2::parse_response(&text).map_err(|e| {
                self.error(
                    format!("the bucket's listing could not be read ({e})"),
                    "check that --endpoint is an S3 API address, not the bucket's website",
                )
            })?;
            for c in page.contents {
                let Some(key) = c.key.strip_prefix(prefix) else {
                    continue;
                };
                out.insert(
                    key.to_string(),
                    Remote {
                        size: c.size.unwrap_or(0),
                        etag: c.etag,
                    },
                );
            }
            match page.next_continuation_token {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }

    /// An object's bytes, or None when there is none.
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let url = self
            .bucket
            .get_object(Some(&self.credentials), key)
            .sign(EXPIRES);
        match self.send_status(&format!("read {key}"), Method::Get, &url, &[], &[], &[404])? {
            a if a.status == 404 => Ok(None),
            a => Ok(Some(a.body)),
        }
    }

    fn put(&self, key: &str, body: &[u8], headers: &[(&str, String)]) -> Result<()> {
        let md5 = base64::engine::general_purpose::STANDARD
            .encode(<md5::Md5 as md5::Digest>::digest(body));
        let mut action = self.bucket.put_object(Some(&self.credentials), key);
        // Signed with the request, so that the server stores exactly these (and checks the MD5).
        action.headers_mut().insert("content-md5", md5.clone());
        for (name, value) in headers {
            action.headers_mut().insert(*name, value.clone());
        }
        let url = action.sign(EXPIRES);
        let mut all: Vec<(&str, String)> = headers.to_vec();
        all.push(("content-md5", md5));
        self.send(&format!("upload {key}"), Method::Put, &url, &all, body)?;
        Ok(())
    }

    fn upload_all(
        &self,
        objects: &[Object],
        plan: &Plan,
        key_prefix: &str,
        concurrency: usize,
        progress: Option<&Progress>,
    ) -> Result<()> {
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let first_error: Mutex<Option<Error>> = Mutex::new(None);
        let sent = AtomicU64::new(0);
        std::thread::scope(|s| {
            for _ in 0..concurrency.clamp(1, 64).min(plan.upload.len().max(1)) {
                s.spawn(|| {
                    while !stop.load(Ordering::Relaxed) {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&i) = plan.upload.get(n) else { break };
                        let o = &objects[i];
                        let result = o
                            .read()
                            .map_err(|e| match &o.body {
                                super::files::Body::File(p) => Error::io(p, e),
                                super::files::Body::Bytes(_) => Error::Usage(e.to_string()),
                            })
                            .and_then(|body| {
                                let mut headers = vec![
                                    ("content-type", o.content_type.clone()),
                                    ("cache-control", o.cache_control.to_string()),
                                ];
                                if let Some(to) = &o.redirect {
                                    headers.push(("x-amz-website-redirect-location", to.clone()));
                                }
                                self.put(&format!("{key_prefix}{}", o.key), &body, &headers)
                            });
                        match result {
                            Ok(()) => {
                                sent.fetch_add(o.size, Ordering::Relaxed);
                                crate::progress::tick(progress);
                            }
                            Err(e) => {
                                stop.store(true, Ordering::Relaxed);
                                first_error.lock().get_or_insert(e);
                            }
                        }
                    }
                });
            }
        });
        match first_error.into_inner() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Delete keys, a thousand a request (S3's most).
    fn delete(&self, keys: &[String], progress: Option<&Progress>) -> Result<()> {
        for chunk in keys.chunks(1000) {
            let ids: Vec<rusty_s3::actions::ObjectIdentifier> = chunk
                .iter()
                .map(|k| rusty_s3::actions::ObjectIdentifier::new(k.clone()))
                .collect();
            let mut action = self
                .bucket
                .delete_objects(Some(&self.credentials), ids.iter());
            action.set_quiet(true);
            let url = action.sign(EXPIRES);
            let (body, md5) = action.body_with_md5();
            let answer = self.send(
                "delete stale objects",
                Method::Post,
                &url,
                &[
                    ("content-md5", md5),
                    ("content-type", "application/xml".into()),
                ],
                body.as_bytes(),
            )?;
            let text = String::from_utf8_lossy(&answer.body);
            if let Ok(r) = rusty_s3::actions::DeleteObjectsResponse::parse(&text) {
                if let Some(e) = r.errors.first() {
                    return Err(self.error(
                        format!("could not delete {}: {} ({})", e.key, e.message, e.code),
                        "check that the key may delete objects in this bucket, or deploy with --keep-stale",
                    ));
                }
            }
            for _ in chunk {
                crate::progress::tick(progress);
            }
        }
        Ok(())
    }

    fn send(
        &self,
        what: &str,
        method: Method,
        url: &Url,
        headers: &[(&str, String)],
        body: &[u8],
    ) -> Result<Answer> {
        self.send_status(what, method, url, headers, body, &[])
    }

    /// Send one request, again after no answer, a 5xx or a 429 (with backoff); statuses in `ok`
    /// besides 2xx are answers, not errors.
    fn send_status(
        &self,
        what: &str,
        method: Method,
        url: &Url,
        headers: &[(&str, String)],
        body: &[u8],
        ok: &[u16],
    ) -> Result<Answer> {
        let start = Instant::now();
        let mut wait = FIRST_WAIT;
        let mut tries = 0;
        loop {
            tries += 1;
            let result = self.once(method, url, headers, body);
            let retry = match result {
                Ok(a) if (200..300).contains(&a.status) || ok.contains(&a.status) => return Ok(a),
                Ok(ref a) => a.status >= 500 || a.status == 429,
                Err(_) => true,
            };
            if retry && tries <= RETRIES && result.is_err() && tries == 1 {
                // Said once, so that a slow storage is not a silent terminal.
                eprintln!(
                    "no answer from the storage at {} yet; trying again ({RETRIES} more times at most)",
                    self.endpoint
                );
            }
            if !retry || tries > RETRIES {
                let took = start.elapsed().as_secs_f64();
                return Err(match result {
                    Ok(a) => self.refused(what, &a, tries, took),
                    Err(e) => self.error(
                        format!(
                            "cannot reach the storage at {} to {what}: {e} (tried {tries} times over {took:.1} s)",
                            self.endpoint
                        ),
                        "check the endpoint (--endpoint, or ?endpoint= in the target), the network, and that the storage is up",
                    ),
                });
            }
            std::thread::sleep(wait);
            wait *= 2;
        }
    }

    fn once(
        &self,
        method: Method,
        url: &Url,
        headers: &[(&str, String)],
        body: &[u8],
    ) -> std::result::Result<Answer, ureq::Error> {
        let url = url.as_str();
        let response = match method {
            Method::Get => {
                let mut req = self.agent.get(url);
                for (k, v) in headers {
                    req = req.header(*k, v.as_str());
                }
                req.call()?
            }
            Method::Put | Method::Post => {
                let mut req = match method {
                    Method::Put => self.agent.put(url),
                    _ => self.agent.post(url),
                };
                for (k, v) in headers {
                    req = req.header(*k, v.as_str());
                }
                req.send(body)?
            }
        };
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()?;
        Ok(Answer { status, body })
    }

    fn error(&self, message: String, hint: &str) -> Error {
        Error::one(Diagnostic::error(&self.target, message).hint(hint.to_string()))
    }

    /// A refusal, said in the terms of its fix. The server's own code and message are shown;
    /// the request (its URL carries a signature) is not.
    fn refused(&self, what: &str, a: &Answer, tries: u32, took: f64) -> Error {
        let text = String::from_utf8_lossy(&a.body);
        let code = xml_field(&text, "Code").unwrap_or_default();
        let said = match xml_field(&text, "Message") {
            Some(m) if !code.is_empty() => format!("{code}: {m}"),
            Some(m) => m,
            None if !code.is_empty() => code.clone(),
            None => format!("HTTP {}", a.status),
        };
        let bucket = self.bucket.name();
        let (message, hint) = match (a.status, code.as_str()) {
            (_, "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "InvalidToken" | "ExpiredToken" | "AuthorizationHeaderMalformed" | "NotSignedUp" | "InvalidSecurity")
            | (401, _) => (
                format!("the storage at {} refused the credentials from {} ({said})", self.endpoint, self.from),
                "check the access key id and the secret (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the profile in ~/.aws/credentials), and the region (--region); for R2 and other providers, use the keys of an API token for this account".to_string(),
            ),
            (_, "NoSuchBucket") | (404, "") => (
                format!("there is no bucket `{bucket}` at {}", self.endpoint),
                format!("create it in the provider's console (or `aws s3 mb s3://{bucket} --endpoint-url {}`), or check the name, --endpoint and --region", self.endpoint),
            ),
            (403, _) => (
                format!("the storage refused to let the credentials from {} {what} in `{bucket}` ({said})", self.from),
                "give the key permission to list, read, write and delete objects in this bucket (or deploy with --keep-stale if it may not delete)".to_string(),
            ),
            (301 | 307, _) | (_, "PermanentRedirect" | "IllegalLocationConstraintException") => (
                format!("bucket `{bucket}` is in another region than the one asked for ({said})"),
                "pass the bucket's region with --region (or ?region= in the target)".to_string(),
            ),
            (s, _) if s >= 500 || s == 429 => (
                format!("the storage at {} could not {what}: {said} (tried {tries} times over {took:.1} s)", self.endpoint),
                "the storage is failing or busy: deploy again later; what was uploaded stays, and the next deploy sends only the rest".to_string(),
            ),
            _ => (
                format!("the storage at {} could not {what}: {said}", self.endpoint),
                "check the target, --endpoint and --region".to_string(),
            ),
        };
        self.error(message, &hint)
    }
}

struct Answer {
    status: u16,
    body: Vec<u8>,
}

/// The text of `<name>…</name>` in an S3 error document.
fn xml_field(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(xml[start..end].trim().to_string()).filter(|s| !s.is_empty())
}
