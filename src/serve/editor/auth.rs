//! Who may edit: browsers paired through a one-time link printed by `serve`, and homestay owners
//! through a link that opens one entry. Sessions are kept by the hash of their cookie in
//! `.waymark-cache/editor/sessions.yaml` (readable by this user only), so a restart keeps every
//! phone paired; one unused for `idle` ends. Owner links are kept hashed in the site folder
//! (`owner-links.yaml`). Neither is ever published.
//! Every token is 128 random bits; wrong tries are counted per address (an IPv6 client by its
//! /64) and refused when too many: one address guessing never keeps another out.

use parking_lot::Mutex;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a pairing link works.
pub const PAIR_TTL: Duration = Duration::from_secs(10 * 60);
/// Wrong tries an address may make in `TRY_WINDOW`.
const TRIES_PER_ADDRESS: usize = 5;
const TRY_WINDOW: Duration = Duration::from_secs(60);
/// The longest device or owner name kept (it is printed on the terminal and in commits).
pub const LABEL_MAX: usize = 60;
pub use crate::edit::OWNERS_FILE;
/// Where sessions are kept, in the site folder.
const SESSIONS_FILE: &str = ".waymark-cache/editor/sessions.yaml";
/// How long a session may go unused in tests (`serve --idle-days` sets it, 30 by default).
#[cfg(test)]
const IDLE: Duration = Duration::from_secs(30 * 24 * 3600);
/// A session's last use is written down at most this often (not at every request).
const USE_NOTED: u64 = 3600;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Scope {
    /// A paired volunteer: every entry, new entries, owner links.
    All,
    /// A homestay owner: this entry (`section/slug`) only.
    Entry(String),
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Session {
    /// The device or person, for `--commit` messages and the owner-link list.
    pub label: String,
    pub scope: Scope,
    /// Sent back with every form.
    pub csrf: String,
    /// A public name of the session, for the list of paired phones and unpairing.
    pub id: String,
    /// When it was opened and last used, in seconds since 1970.
    pub paired: u64,
    pub last_used: u64,
    /// The owner link it came from (its id), so that revoking the link ends the session.
    pub owner_link: Option<String>,
    /// Paired by the server's terminal, or by another admin as one: may pair phones, make
    /// owner links, see and unpair phones, delete entries.
    #[serde(default)]
    pub admin: bool,
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

    /// A volunteer's session named `label`, for drawing pages in tests.
    #[cfg(test)]
    pub fn for_test(label: &str) -> Session {
        Session {
            label: label.to_string(),
            scope: Scope::All,
            csrf: random_token(),
            id: random_token(),
            paired: now(),
            last_used: now(),
            owner_link: None,
            admin: true,
        }
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
    /// Too many wrong tries from this address in the last minute.
    TooMany,
    /// The link is unknown, used or expired.
    BadLink,
}

#[derive(Default)]
struct State {
    /// Pairing token hash -> when it stops working, and whether it pairs an admin.
    pairing: HashMap<String, (Instant, bool)>,
    /// Session token hash -> session.
    sessions: HashMap<String, Session>,
    /// Wrong tries in the last `TRY_WINDOW`, by client (`client_key`).
    failures: HashMap<IpAddr, Vec<Instant>>,
}

pub struct Auth {
    state: Mutex<State>,
    owners: PathBuf,
    sessions: PathBuf,
    /// How long a pairing link works (`PAIR_TTL`).
    ttl: Duration,
    /// How long a session may go unused (`IDLE`).
    idle: Duration,
}

/// The sessions file: session token hash -> session.
type Kept = std::collections::BTreeMap<String, Session>;

impl Auth {
    #[cfg(test)]
    pub fn new(site: &Path) -> Auth {
        Auth::with_ttl(site, PAIR_TTL, IDLE)
    }

    /// The sessions kept from an earlier run are taken up, but for those idle too long.
    pub fn with_ttl(site: &Path, ttl: Duration, idle: Duration) -> Auth {
        let sessions = site.join(SESSIONS_FILE);
        let kept: Kept = std::fs::read_to_string(&sessions)
            .ok()
            .and_then(|t| serde_yaml_ng::from_str(&t).ok())
            .unwrap_or_default();
        let auth = Auth {
            state: Mutex::new(State {
                sessions: kept.into_iter().collect(),
                ..State::default()
            }),
            owners: site.join(OWNERS_FILE),
            sessions,
            ttl,
            idle,
        };
        let mut st = auth.state.lock();
        let before = st.sessions.len();
        auth.expire(&mut st);
        if st.sessions.len() != before {
            auth.keep(&st);
        }
        drop(st);
        auth
    }

    /// Ends the sessions unused for longer than `idle`.
    fn expire(&self, st: &mut State) {
        let now = now();
        let idle = self.idle.as_secs();
        st.sessions
            .retain(|_, s| now.saturating_sub(s.last_used) <= idle);
    }

    /// Writes the sessions down; a failure is said, and the sessions still work until a
    /// restart.
    fn keep(&self, st: &State) {
        let kept: Kept = st
            .sessions
            .iter()
            .map(|(k, s)| (k.clone(), s.clone()))
            .collect();
        let written = serde_yaml_ng::to_string(&kept)
            .map_err(std::io::Error::other)
            .and_then(|text| {
                if let Some(dir) = self.sessions.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                // Readable by this user only: a session's hash is as good as its cookie here.
                crate::output::write_private(&self.sessions, text.as_bytes())
            });
        if let Err(e) = written {
            eprintln!(
                "editor: sessions not kept in {} ({e}); phones pair again after a restart",
                self.sessions.display()
            );
        }
    }

    /// A new one-time pairing token, valid for `PAIR_TTL`, for an admin's phone or a
    /// volunteer's.
    pub fn new_pairing(&self, admin: bool) -> String {
        let token = random_token();
        let mut st = self.state.lock();
        let now = Instant::now();
        st.pairing.retain(|_, (until, _)| *until > now);
        st.pairing.insert(hash(&token), (now + self.ttl, admin));
        token
    }

    /// Whether `token` would pair a browser now (the page that asks for a device name).
    pub fn pairing_open(&self, token: &str, from: IpAddr) -> Result<(), Refusal> {
        let mut st = self.state.lock();
        throttle(&mut st, from)?;
        let now = Instant::now();
        match st.pairing.get(&hash(token)) {
            Some((until, _)) if *until > now => Ok(()),
            _ => Err(fail(&mut st, from)),
        }
    }

    /// Use up `token` and open a session for the browser that sent it.
    pub fn pair(&self, token: &str, label: &str, from: IpAddr) -> Result<String, Refusal> {
        let mut st = self.state.lock();
        throttle(&mut st, from)?;
        let now = Instant::now();
        let admin = match st.pairing.remove(&hash(token)) {
            Some((until, admin)) if until > now => admin,
            _ => return Err(fail(&mut st, from)),
        };
        let token = open(&mut st, clean_label(label, "volunteer"), Scope::All, None);
        if let Some(s) = st.sessions.get_mut(&hash(&token)) {
            s.admin = admin;
        }
        self.keep(&st);
        Ok(token)
    }

    /// The session a cookie names; a session from a revoked owner link is ended.
    pub fn session(&self, cookie: &str) -> Option<Session> {
        let key = hash(cookie);
        let session = {
            let mut st = self.state.lock();
            let now = now();
            let s = st.sessions.get(&key)?;
            if now.saturating_sub(s.last_used) > self.idle.as_secs() {
                self.expire(&mut st);
                self.keep(&st);
                return None;
            }
            let noted = now.saturating_sub(s.last_used) >= USE_NOTED;
            let s = st.sessions.get_mut(&key)?;
            s.last_used = now;
            let s = s.clone();
            if noted {
                self.keep(&st);
            }
            s
        };
        if let Some(link) = &session.owner_link {
            if !self.owner_links().iter().any(|l| &l.id == link) {
                let mut st = self.state.lock();
                st.sessions.remove(&key);
                self.keep(&st);
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
        let mut st = self.state.lock();
        st.sessions
            .retain(|_, s| s.owner_link.as_deref() != Some(id));
        self.keep(&st);
        Ok(true)
    }

    /// The paired phones (volunteers' sessions, not owners'), most recently used first.
    pub fn devices(&self) -> Vec<Session> {
        let st = self.state.lock();
        let mut out: Vec<Session> = st
            .sessions
            .values()
            .filter(|s| s.scope == Scope::All)
            .cloned()
            .collect();
        out.sort_by(|a, b| b.last_used.cmp(&a.last_used).then(a.id.cmp(&b.id)));
        out
    }

    /// End the paired phone's session `id` at once; whether there was one.
    pub fn unpair(&self, id: &str) -> bool {
        let mut st = self.state.lock();
        let before = st.sessions.len();
        st.sessions
            .retain(|_, s| !(s.scope == Scope::All && s.id == id));
        let gone = st.sessions.len() != before;
        if gone {
            self.keep(&st);
        }
        gone
    }

    /// End every owner session of entry `entry` and drop its owner links (the entry is gone).
    pub fn forget_entry(&self, entry: &str) -> std::io::Result<()> {
        let mut file = self.read_owners();
        let before = file.links.len();
        file.links.retain(|l| l.entry != entry);
        if file.links.len() != before {
            self.write_owners(&file)?;
        }
        let mut st = self.state.lock();
        st.sessions
            .retain(|_, s| s.scope != Scope::Entry(entry.to_string()));
        self.keep(&st);
        Ok(())
    }

    /// Open a session for whoever holds an owner link's token.
    pub fn open_owner(&self, token: &str, from: IpAddr) -> Result<String, Refusal> {
        {
            let mut st = self.state.lock();
            throttle(&mut st, from)?;
        }
        let h = hash(token);
        let link = self
            .owner_links()
            .into_iter()
            .find(|l| same(l.hash.as_bytes(), h.as_bytes()));
        let mut st = self.state.lock();
        match link {
            Some(l) => {
                let scope = Scope::Entry(l.entry.clone());
                let token = open(&mut st, l.label.clone(), scope, Some(l.id.clone()));
                self.keep(&st);
                Ok(token)
            }
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
        crate::output::write_private(&self.owners, text.as_bytes())
    }
}

fn open(st: &mut State, label: String, scope: Scope, owner_link: Option<String>) -> String {
    let token = random_token();
    let key = hash(&token);
    let now = now();
    st.sessions.insert(
        key.clone(),
        Session {
            label,
            scope,
            csrf: random_token(),
            owner_link,
            // Of the hash, so the public name tells nothing of the cookie.
            id: hash(&key)[..12].to_string(),
            paired: now,
            last_used: now,
            admin: false,
        },
    );
    token
}

/// Who a wrong try is counted against: an IPv4 address, or an IPv6 client's /64 (one phone or
/// home network gets a whole /64, and could otherwise take a new address for every try).
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut seg = v6.segments();
                seg[4..].fill(0);
                IpAddr::V6(seg.into())
            }
        },
        v4 => v4,
    }
}

fn throttle(st: &mut State, from: IpAddr) -> Result<(), Refusal> {
    let now = Instant::now();
    // Forget old tries everywhere, so the map holds only the last minute's guessers.
    st.failures.retain(|_, tries| {
        tries.retain(|at| now.duration_since(*at) < TRY_WINDOW);
        !tries.is_empty()
    });
    let mine = st.failures.get(&client_key(from)).map_or(0, Vec::len);
    if mine >= TRIES_PER_ADDRESS {
        return Err(Refusal::TooMany);
    }
    Ok(())
}

fn fail(st: &mut State, from: IpAddr) -> Refusal {
    st.failures
        .entry(client_key(from))
        .or_default()
        .push(Instant::now());
    Refusal::BadLink
}

/// A device or owner name as given, made one short line that cannot forge a log line or a
/// commit message: no control characters, line or paragraph separators, or bidirectional
/// overrides; spaces collapsed; at most `LABEL_MAX` characters.
pub fn clean_label(label: &str, fallback: &str) -> String {
    let invisible = |c: char| {
        c.is_control()
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{feff}'
            )
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    let words: Vec<&str> = label
        .split(|c: char| c.is_whitespace() || invisible(c))
        .filter(|w| !w.is_empty())
        .collect();
    // Composed, and at most two accents on a letter (Vietnamese needs two): a tower of
    // combining marks would be drawn over the page above the name.
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    let mut marks = 0;
    let l: String = words
        .join(" ")
        .nfc()
        .filter(|c| {
            marks = if is_combining_mark(*c) { marks + 1 } else { 0 };
            marks <= 2
        })
        .take(LABEL_MAX)
        .collect();
    let l = l.trim();
    if l.is_empty() {
        fallback.to_string()
    } else {
        l.to_string()
    }
}

/// Seconds since 1970.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn random_token() -> String {
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
/// Equal, in a time that does not tell how much of a guess was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn a_pairing_link_works_once() {
        let dir = tempfile::tempdir().unwrap();
        let auth = Auth::new(dir.path());
        let t = auth.new_pairing(false);
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
        let auth = Auth::with_ttl(dir.path(), Duration::from_millis(30), IDLE);
        let t = auth.new_pairing(false);
        assert!(auth.pairing_open(&t, HOME).is_ok());
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(auth.pairing_open(&t, HOME), Err(Refusal::BadLink));
        assert_eq!(auth.pair(&t, "late", HOME), Err(Refusal::BadLink));
    }

    #[test]
    fn wrong_tries_are_refused_after_five() {
        let dir = tempfile::tempdir().unwrap();
        let auth = Auth::new(dir.path());
        let good = auth.new_pairing(false);
        for _ in 0..TRIES_PER_ADDRESS {
            assert_eq!(auth.pair("guess", "x", HOME), Err(Refusal::BadLink));
        }
        // Even the right link waits now, from that address.
        assert_eq!(auth.pair(&good, "x", HOME), Err(Refusal::TooMany));
        let other: IpAddr = "192.0.2.7".parse().unwrap();
        assert!(auth.pair(&good, "x", other).is_ok());
    }

    #[test]
    fn wrong_tries_elsewhere_never_keep_a_right_link_out() {
        let dir = tempfile::tempdir().unwrap();
        let auth = Auth::new(dir.path());
        let good = auth.new_pairing(false);
        for i in 0..100u8 {
            let ip: IpAddr = format!("198.51.100.{i}").parse().unwrap();
            assert_eq!(auth.pair("guess", "x", ip), Err(Refusal::BadLink));
        }
        let fresh: IpAddr = "203.0.113.9".parse().unwrap();
        assert!(auth.pair(&good, "x", fresh).is_ok());
        // An IPv6 client is one /64: new addresses in it do not buy new tries.
        for i in 0..TRIES_PER_ADDRESS {
            let ip: IpAddr = format!("2001:db8:1:2::{i}").parse().unwrap();
            assert_eq!(auth.pair("guess", "x", ip), Err(Refusal::BadLink));
        }
        let same_net: IpAddr = "2001:db8:1:2:ffff::1".parse().unwrap();
        assert_eq!(auth.pair("guess", "x", same_net), Err(Refusal::TooMany));
    }

    #[test]
    fn labels_cannot_forge_lines() {
        assert_eq!(
            clean_label("Lan\neditor: paired `admin`\r\x1b[2K", "x"),
            "Lan editor: paired `admin` [2K"
        );
        assert_eq!(clean_label("\u{202e}\u{2028} ", "volunteer"), "volunteer");
        let tower = format!("Lan{}", "\u{0301}".repeat(50));
        // "n" and the first mark compose to "ń"; two more marks stay, the other 47 go.
        assert_eq!(clean_label(&tower, "x"), "La\u{144}\u{301}\u{301}");
        assert_eq!(
            clean_label(&"a".repeat(500), "x").chars().count(),
            LABEL_MAX
        );
    }

    #[test]
    fn a_paired_phone_is_listed_and_unpaired_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let auth = Auth::new(dir.path());
        let t = auth.new_pairing(false);
        let cookie = auth.pair(&t, "Điện thoại Lan", HOME).unwrap();
        let owner = auth
            .new_owner_link("homestays/a", "Chị Lan", "2026-12-01")
            .unwrap();
        auth.open_owner(&owner, HOME).unwrap();
        let devices = auth.devices();
        assert_eq!(devices.len(), 1, "owners are not paired phones");
        assert_eq!(devices[0].label, "Điện thoại Lan");
        assert!(!cookie.contains(&devices[0].id));
        assert!(auth.unpair(&devices[0].id));
        assert!(auth.session(&cookie).is_none());
        assert!(!auth.unpair(&devices[0].id));
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
