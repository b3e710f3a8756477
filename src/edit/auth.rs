//! Who may edit: browsers paired through a one-time link printed by `serve`, and homestay owners
//! through a link that opens one entry. Sessions live in memory (a restart pairs again); owner
//! links are kept hashed in the site folder (`owner-links.yaml`), never in the published site.
//! Every token is 128 random bits; wrong tries are counted per address and refused when too many.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a pairing link works.
pub const PAIR_TTL: Duration = Duration::from_secs(10 * 60);
/// Wrong tries an address may make in `TRY_WINDOW`, and all addresses together.
const TRIES_PER_ADDRESS: usize = 5;
const TRIES_IN_ALL: usize = 30;
const TRY_WINDOW: Duration = Duration::from_secs(60);
/// The file that keeps owner links, beside site.yaml.
pub const OWNERS_FILE: &str = "owner-links.yaml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// A paired volunteer: every entry, new entries, owner links.
    All,
    /// A homestay owner: this entry (`section/slug`) only.
    Entry(String),
}

#[derive(Debug, Clone)]
pub struct Session {
    /// The device or person, for `--commit` messages and the owner-link list.
    pub label: String,
    pub scope: Scope,
    /// Sent back with every form.
    pub csrf: String,
    /// The owner link it came from (its id), so that revoking the link ends the session.
    pub owner_link: Option<String>,
}

impl Session {
    pub fn may_edit(&self, id: &str) -> bool {
        match &self.scope {
            Scope::All => true,
            Scope::Entry(e) => e == id,
        }
    }
    pub fn csrf_ok(&self, sent: &str) -> bool {
        same(self.csrf.as_bytes(), sent.as_bytes())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OwnerLink {
    /// A short public name of the link, for listing and revoking.
    pub id: String,
    pub entry: String,
    pub label: String,
    /// SHA-256 of the link's token.
    pub hash: String,
    pub created: String,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct OwnersFile {
    #[serde(default)]
    links: Vec<OwnerLink>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Too many wrong tries from this address (or from everywhere) in the last minute.
    TooMany,
    /// The link is unknown, used or expired.
    BadLink,
}

#[derive(Default)]
struct State {
    /// Pairing token hash -> when it stops working.
    pairing: HashMap<String, Instant>,
    /// Session token hash -> session.
    sessions: HashMap<String, Session>,
    failures: Vec<(IpAddr, Instant)>,
}

pub struct Auth {
    state: Mutex<State>,
    owners: PathBuf,
    /// How long a pairing link works (`PAIR_TTL`).
    ttl: Duration,
}

impl Auth {
    pub fn new(site: &Path) -> Auth {
        Auth::with_ttl(site, PAIR_TTL)
    }

    pub fn with_ttl(site: &Path, ttl: Duration) -> Auth {
        Auth {
            state: Mutex::default(),
            owners: site.join(OWNERS_FILE),
            ttl,
        }
    }

    /// A new one-time pairing token, valid for `PAIR_TTL`.
    pub fn new_pairing(&self) -> String {
        let token = random_token();
        let mut st = self.state.lock().expect("auth lock");
        let now = Instant::now();
        st.pairing.retain(|_, until| *until > now);
        st.pairing.insert(hash(&token), now + self.ttl);
        token
    }

    /// Whether `token` would pair a browser now (the page that asks for a device name).
    pub fn pairing_open(&self, token: &str, from: IpAddr) -> Result<(), Refusal> {
        let mut st = self.state.lock().expect("auth lock");
        throttle(&mut st, from)?;
        let now = Instant::now();
        match st.pairing.get(&hash(token)) {
            Some(until) if *until > now => Ok(()),
            _ => Err(fail(&mut st, from)),
        }
    }

    /// Use up `token` and open a session for the browser that sent it.
    pub fn pair(&self, token: &str, label: &str, from: IpAddr) -> Result<String, Refusal> {
        let mut st = self.state.lock().expect("auth lock");
        throttle(&mut st, from)?;
        let now = Instant::now();
        match st.pairing.remove(&hash(token)) {
            Some(until) if until > now => {}
            _ => return Err(fail(&mut st, from)),
        }
        Ok(open(
            &mut st,
            clean_label(label, "volunteer"),
            Scope::All,
            None,
        ))
    }

    /// The session a cookie names; a session from a revoked owner link is ended.
    pub fn session(&self, cookie: &str) -> Option<Session> {
        let key = hash(cookie);
        let session = self
            .state
            .lock()
            .expect("auth lock")
            .sessions
            .get(&key)
            .cloned()?;
        if let Some(link) = &session.owner_link {
            if !self.owner_links().iter().any(|l| &l.id == link) {
                self.state.lock().expect("auth lock").sessions.remove(&key);
                return None;
            }
        }
        Some(session)
    }

    /// Make an owner link for entry `id`; returns its token (shown once, kept only hashed).
    pub fn new_owner_link(&self, entry: &str, label: &str, today: &str) -> std::io::Result<String> {
        let token = random_token();
        let mut file = self.read_owners();
        let h = hash(&token);
        file.links.push(OwnerLink {
            id: h[..10].to_string(),
            entry: entry.to_string(),
            label: clean_label(label, "owner"),
            hash: h,
            created: today.to_string(),
        });
        self.write_owners(&file)?;
        Ok(token)
    }

    pub fn owner_links(&self) -> Vec<OwnerLink> {
        self.read_owners().links
    }

    /// Revoke the owner link `id`: its sessions end at their next request.
    pub fn revoke(&self, id: &str) -> std::io::Result<bool> {
        let mut file = self.read_owners();
        let before = file.links.len();
        file.links.retain(|l| l.id != id);
        if file.links.len() == before {
            return Ok(false);
        }
        self.write_owners(&file)?;
        let mut st = self.state.lock().expect("auth lock");
        st.sessions
            .retain(|_, s| s.owner_link.as_deref() != Some(id));
        Ok(true)
    }

    /// Open a session for whoever holds an owner link's token.
    pub fn open_owner(&self, token: &str, from: IpAddr) -> Result<String, Refusal> {
        {
            let mut st = self.state.lock().expect("auth lock");
            throttle(&mut st, from)?;
        }
        let h = hash(token);
        let link = self
            .owner_links()
            .into_iter()
            .find(|l| same(l.hash.as_bytes(), h.as_bytes()));
        let mut st = self.state.lock().expect("auth lock");
        match link {
            Some(l) => Ok(open(
                &mut st,
                l.label.clone(),
                Scope::Entry(l.entry.clone()),
                Some(l.id.clone()),
            )),
            None => Err(fail(&mut st, from)),
        }
    }

    fn read_owners(&self) -> OwnersFile {
        std::fs::read_to_string(&self.owners)
            .ok()
            .and_then(|t| serde_yaml_ng::from_str(&t).ok())
            .unwrap_or_default()
    }

    fn write_owners(&self, file: &OwnersFile) -> std::io::Result<()> {
        let body = serde_yaml_ng::to_string(file).map_err(std::io::Error::other)?;
        let text = format!(
            "# Owner links of `waymark serve --edit`: each opens one entry for editing. Only a hash\n# of each link is kept; delete a line (or revoke it in the editor) to end it.\n{body}"
        );
        crate::output::write_durable(&self.owners, text.as_bytes())
    }
}

fn open(st: &mut State, label: String, scope: Scope, owner_link: Option<String>) -> String {
    let token = random_token();
    st.sessions.insert(
        hash(&token),
        Session {
            label,
            scope,
            csrf: random_token(),
            owner_link,
        },
    );
    token
}

fn throttle(st: &mut State, from: IpAddr) -> Result<(), Refusal> {
    let now = Instant::now();
    st.failures
        .retain(|(_, at)| now.duration_since(*at) < TRY_WINDOW);
    let mine = st.failures.iter().filter(|(ip, _)| *ip == from).count();
    if mine >= TRIES_PER_ADDRESS || st.failures.len() >= TRIES_IN_ALL {
        return Err(Refusal::TooMany);
    }
    Ok(())
}

fn fail(st: &mut State, from: IpAddr) -> Refusal {
    st.failures.push((from, Instant::now()));
    Refusal::BadLink
}

/// A device or owner name as given, trimmed to one short line.
fn clean_label(label: &str, fallback: &str) -> String {
    let l: String = label.chars().filter(|c| !c.is_control()).take(60).collect();
    let l = l.trim();
    if l.is_empty() {
        fallback.to_string()
    } else {
        l.to_string()
    }
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Equal bytes, compared in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn a_pairing_link_works_once() {
        let dir = tempfile::tempdir().unwrap();
        let auth = Auth::new(dir.path());
        let t = auth.new_pairing();
        assert!(auth.pairing_open(&t, HOME).is_ok());
        let cookie = auth.pair(&t, "Lan's phone", HOME).unwrap();
        let s = auth.session(&cookie).unwrap();
        assert_eq!(s.label, "Lan's phone");
        assert!(s.may_edit("relics/den"));
        assert!(s.csrf_ok(&s.csrf.clone()) && !s.csrf_ok("x"));
        assert_eq!(auth.pair(&t, "again", HOME), Err(Refusal::BadLink));
        assert!(auth.session("not-a-session").is_none());
    }

    #[test]
    fn a_pairing_link_expires() {
        let dir = tempfile::tempdir().unwrap();
        let auth = Auth::with_ttl(dir.path(), Duration::from_millis(30));
        let t = auth.new_pairing();
        assert!(auth.pairing_open(&t, HOME).is_ok());
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(auth.pairing_open(&t, HOME), Err(Refusal::BadLink));
        assert_eq!(auth.pair(&t, "late", HOME), Err(Refusal::BadLink));
    }

    #[test]
    fn wrong_tries_are_refused_after_five() {
        let dir = tempfile::tempdir().unwrap();
        let auth = Auth::new(dir.path());
        let good = auth.new_pairing();
        for _ in 0..TRIES_PER_ADDRESS {
            assert_eq!(auth.pair("guess", "x", HOME), Err(Refusal::BadLink));
        }
        // Even the right link waits now, from that address.
        assert_eq!(auth.pair(&good, "x", HOME), Err(Refusal::TooMany));
        let other: IpAddr = "192.0.2.7".parse().unwrap();
        assert!(auth.pair(&good, "x", other).is_ok());
    }

    #[test]
    fn owner_links_open_one_entry_and_end_when_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let auth = Auth::new(dir.path());
        let token = auth
            .new_owner_link("homestays/nha-lan", "Chị Lan", "2026-11-30")
            .unwrap();
        let kept = std::fs::read_to_string(dir.path().join(OWNERS_FILE)).unwrap();
        assert!(!kept.contains(&token), "only a hash is kept");
        let cookie = auth.open_owner(&token, HOME).unwrap();
        let s = auth.session(&cookie).unwrap();
        assert!(s.may_edit("homestays/nha-lan") && !s.may_edit("homestays/other"));
        let id = auth.owner_links()[0].id.clone();
        assert!(auth.revoke(&id).unwrap());
        assert!(auth.session(&cookie).is_none());
        assert_eq!(auth.open_owner(&token, HOME), Err(Refusal::BadLink));
    }
}
