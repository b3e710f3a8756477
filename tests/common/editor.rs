//! Driving `waymark serve --edit` over HTTP as a browser would: pairing, cookies, the entry
//! form's inputs read from its HTML and sent back as multipart, with files.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Editor {
    child: Child,
    pub base: String,
    /// The first pairing link printed (empty without --edit).
    pub pair_link: String,
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Editor {
    /// Waits (a minute at most) for a line holding `what` in the server's output.
    pub fn wait_for_log(&self, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if self.log.lock().unwrap().iter().any(|l| l.contains(what)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("no `{what}` in {:?}", self.log.lock().unwrap());
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(site: &Path, extra: &[&str]) -> Editor {
    let mut args = vec!["--edit"];
    args.extend_from_slice(extra);
    spawn(site, &args)
}

/// `waymark serve` of `site` with `args`, on a free port unless they name one.
#[allow(clippy::zombie_processes)]
pub fn spawn(site: &Path, args: &[&str]) -> Editor {
    let edit = args.contains(&"--edit");
    // Any free port, unless the test names one (a proxy in front expects the server there).
    let port: &[&str] = if args.contains(&"--port") {
        &[]
    } else {
        &["--port", "0"]
    };
    let mut child = Command::new(super::bin())
        .arg("serve")
        .args(port)
        .arg("--site")
        .arg(site)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let log = Arc::new(Mutex::new(Vec::new()));
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        let log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                log.lock().unwrap().push(line.clone());
                let _ = tx.send(line);
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut base, mut pair_link) = (None, None);
    while Instant::now() < deadline && (base.is_none() || (edit && pair_link.is_none())) {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if let Some(i) = line.find("at http://") {
                base = Some(
                    line[i + 3..]
                        .split_whitespace()
                        .next()
                        .unwrap()
                        .trim_end_matches('/')
                        .to_string(),
                );
            }
            if let Some(i) = line.find("/_edit/pair/") {
                // http://… on this machine, https://… with --public-url.
                let start = line[..i].rfind("http").unwrap();
                pair_link = Some(line[start..].trim().to_string());
            }
        }
    }
    Editor {
        child,
        base: base.expect("serve started"),
        pair_link: if edit {
            pair_link.expect("a pairing link was printed")
        } else {
            String::new()
        },
        log,
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request; `headers` as (name, value).
pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    request_from(None, method, url, headers, body)
}

/// A request sent from the local address `from` (another loopback address, 127.0.0.x, as
/// another client would be) when given.
pub fn request_from(
    from: Option<std::net::Ipv4Addr>,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let mut s = match from {
        None => std::net::TcpStream::connect(host).expect("connect"),
        Some(ip) => {
            use std::net::ToSocketAddrs;
            let to = host.to_socket_addrs().unwrap().next().unwrap();
            let sock =
                socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
            sock.bind(&std::net::SocketAddr::from((ip, 0)).into())
                .expect("bind a loopback address");
            sock.connect(&to.into()).expect("connect");
            sock.into()
        }
    };
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading a large body.
    let _ = s.write_all(body);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(buf.len());
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let body = String::from_utf8_lossy(buf.get(split + 4..).unwrap_or_default()).into_owned();
    Reply {
        status,
        headers,
        body,
    }
}

/// A paired (or not) browser: its cookie and the language it asks for.
#[derive(Clone, Default)]
pub struct Browser {
    pub cookie: Option<String>,
    pub lang: &'static str,
}

impl Browser {
    fn headers(&self) -> Vec<(&str, String)> {
        let mut h = vec![(
            "Accept-Language",
            if self.lang.is_empty() {
                "vi".to_string()
            } else {
                self.lang.to_string()
            },
        )];
        if let Some(c) = &self.cookie {
            h.push(("Cookie", c.clone()));
        }
        h
    }

    pub fn get(&self, url: &str) -> Reply {
        let h = self.headers();
        let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
        request("GET", url, &h, b"")
    }

    /// A urlencoded form.
    pub fn post(&self, url: &str, form: &[(&str, &str)], extra: &[(&str, &str)]) -> Reply {
        let body: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        let h = self.headers();
        let mut h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
        h.push(("Content-Type", "application/x-www-form-urlencoded"));
        h.extend_from_slice(extra);
        request("POST", url, &h, body.join("&").as_bytes())
    }

    /// A multipart form: text fields and files (field, file name, bytes).
    pub fn post_multipart(
        &self,
        url: &str,
        fields: &[(String, String)],
        files: &[(&str, &str, Vec<u8>)],
        extra: &[(&str, &str)],
    ) -> Reply {
        let boundary = "----waymark-test-boundary-7MA4YWxk";
        let mut body = Vec::new();
        for (k, v) in fields {
            write!(
                body,
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
            )
            .unwrap();
        }
        for (k, name, bytes) in files {
            write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").unwrap();
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        write!(body, "--{boundary}--\r\n").unwrap();
        let ctype = format!("multipart/form-data; boundary={boundary}");
        let h = self.headers();
        let mut h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
        h.push(("Content-Type", &ctype));
        h.extend_from_slice(extra);
        request("POST", url, &h, &body)
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Pair a browser through `link` (the page, then its button).
pub fn pair(link: &str, label: &str) -> Browser {
    let page = request("GET", link, &[], b"");
    assert_eq!(page.status, 200, "{}", page.body);
    let token = link.rsplit('/').next().unwrap();
    let base = &link[..link.find("/_edit/").unwrap()];
    let r = Browser::default().post(
        &format!("{base}/_edit/pair"),
        &[("token", token), ("label", label)],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let set = r
        .header("set-cookie")
        .expect("a session cookie")
        .to_string();
    Browser {
        cookie: Some(set.split(';').next().unwrap().to_string()),
        lang: "vi",
    }
}

/// The inputs of the form with id `entry` in `html`, as a browser would send them: text inputs
/// and hidden ones with their values, checked checkboxes, selected options, textareas.
pub fn form_fields(html: &str) -> Vec<(String, String)> {
    let start = html.find("id=\"entry\"").expect("the entry form");
    let end = html[start..].find("</form>").map(|e| start + e).unwrap();
    let form = &html[start..end];
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        let j = tag[i..].find('"')? + i;
        Some(unescape(&tag[i..j]))
    };
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let close = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..close];
        if tag.starts_with("<input") {
            let kind = attr(tag, "type").unwrap_or_default();
            if let Some(name) = attr(tag, "name") {
                match kind.as_str() {
                    "file" | "submit" => {}
                    "checkbox" => {
                        if tag.contains(" checked") {
                            out.push((name, "on".into()));
                        }
                    }
                    _ => out.push((name, attr(tag, "value").unwrap_or_default())),
                }
            }
        } else if tag.starts_with("<textarea") {
            let name = attr(tag, "name").unwrap();
            let body_start = close + 1;
            let body_end = rest.find("</textarea>").unwrap();
            let mut v = unescape(&rest[body_start..body_end]);
            if v.starts_with('\n') {
                v.remove(0);
            }
            out.push((name, v));
        } else if tag.starts_with("<select") {
            let name = attr(tag, "name").unwrap();
            let end = rest.find("</select>").unwrap();
            let options = &rest[..end];
            let chosen = options
                .split("<option")
                .skip(1)
                .find(|o| o.contains(" selected"))
                .and_then(|o| attr(&format!(" {o}"), "value"))
                .unwrap_or_default();
            out.push((name, chosen));
        }
        rest = &rest[close.min(rest.len())..];
        if rest.len() <= 1 {
            break;
        }
        rest = &rest[1..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `fields` with `changes` applied (a value of None removes the input, as an unchecked box).
pub fn with(
    fields: &[(String, String)],
    changes: &[(&str, Option<&str>)],
) -> Vec<(String, String)> {
    let mut map: BTreeMap<usize, (String, String)> = fields.iter().cloned().enumerate().collect();
    let mut next = fields.len();
    for (k, v) in changes {
        let at = map.iter().find(|(_, (n, _))| n == k).map(|(i, _)| *i);
        match (at, v) {
            (Some(i), Some(v)) => {
                map.insert(i, (k.to_string(), v.to_string()));
            }
            (Some(i), None) => {
                map.remove(&i);
            }
            (None, Some(v)) => {
                map.insert(next, (k.to_string(), v.to_string()));
                next += 1;
            }
            (None, None) => {}
        }
    }
    map.into_values().collect()
}

/// Wait until `url` answers with `text` in it.
pub fn wait_for_page(url: &str, text: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if request("GET", url, &[], b"").body.contains(text) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// The form of `id`, read as the browser got it.
pub fn form_of(b: &Browser, base: &str, id: &str) -> Vec<(String, String)> {
    let r = b.get(&format!("{base}/_edit/e/{id}"));
    assert_eq!(r.status, 200, "{}", r.body);
    form_fields(&r.body)
}

/// Open entry `id`'s form, set `field` to `value`, and save it: a person changing one thing.
pub fn save_one(b: &Browser, base: &str, id: &str, field: &str, value: &str) -> Reply {
    let fields = form_of(b, base, id);
    save(b, base, id, &with(&fields, &[(field, Some(value))]))
}

/// Post `fields` as the entry form of `id`, without files.
pub fn save(b: &Browser, base: &str, id: &str, fields: &[(String, String)]) -> Reply {
    b.post_multipart(&format!("{base}/_edit/e/{id}"), fields, &[], &[])
}

/// The csrf token of `b`'s session, from the list page.
pub fn list_csrf(b: &Browser, base: &str) -> String {
    let r = b.get(&format!("{base}/_edit/"));
    assert_eq!(r.status, 200, "{}", r.body);
    let i = r.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    r.body[i..i + 32].to_string()
}

/// A new pairing link, from a paired browser's "pair another phone".
pub fn another_link(b: &Browser, base: &str) -> String {
    let r = b.post(
        &format!("{base}/_edit/pair-another"),
        &[("csrf", &list_csrf(b, base))],
        &[],
    );
    assert_eq!(r.status, 200);
    let i = r.body.find("/_edit/pair/").unwrap();
    format!("{base}{}", &r.body[i..i + 12 + 32])
}

/// An owner link for `entry`, made by the paired browser `b` and named `label`, opened: the
/// owner's browser.
pub fn owner_of(b: &Browser, base: &str, entry: &str, label: &str) -> Browser {
    let r = b.post(
        &format!("{base}/_edit/owners"),
        &[
            ("csrf", &list_csrf(b, base)),
            ("entry", entry),
            ("label", label),
        ],
        &[],
    );
    assert_eq!(r.status, 200);
    let i = r.body.find("/_edit/owner/").unwrap();
    open_owner_link(&format!("{base}{}", &r.body[i..i + 13 + 32]))
}

/// The browser an owner link opened, with the session it set.
pub fn open_owner_link(link: &str) -> Browser {
    let r = request("GET", link, &[], b"");
    assert_eq!(r.status, 303, "{}", r.body);
    let cookie = r.header("set-cookie").expect("a session cookie");
    Browser {
        cookie: Some(cookie.split(';').next().unwrap().to_string()),
        lang: "vi",
    }
}
