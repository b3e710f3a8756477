//! The places an entry keeps on the web (`links:`): Facebook, TikTok, a Zalo Official Account,
//! the booking sites, shops. Each address is parsed with the `url` crate; only `https://` is
//! published (visitors arrive on phones in in-app browsers that warn on plain http), and the
//! services guests know are recognised by host, so the page can show each one's icon and name in
//! the visitor's language. Another address needs the label the owner gives it.

use url::Url;

/// A service recognised by host: its key (the icon's id on the page) and its name in vi/en/zh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    pub key: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

impl Service {
    /// Its name in `lang` (English for languages other than vi and zh).
    pub fn label(&self, lang: &str) -> &'static str {
        match lang {
            "vi" => self.vi,
            "zh" => self.zh,
            _ => self.en,
        }
    }
}

const fn s(key: &'static str, vi: &'static str, en: &'static str, zh: &'static str) -> Service {
    Service { key, vi, en, zh }
}

/// A person's Zalo: its address is their phone number.
const ZALO_PERSON: Service = s("zalo", "Nhắn Zalo", "Chat on Zalo", "Zalo 聊天");

/// A Vietnamese phone number as Zalo writes it in a link: `0912345678`, `84912345678`.
fn is_phone(path: &str) -> bool {
    let digits = path.chars().all(|c| c.is_ascii_digit());
    digits
        && ((path.len() == 10 && path.starts_with('0'))
            || (path.len() == 11 && path.starts_with("84")))
}

/// Hosts (a host or any of its subdomains) and the service they belong to. Google Maps is
/// matched by path as well (`google.com/maps/...`), in `recognise`.
const HOSTS: &[(&str, Service)] = &[
    ("facebook.com", FACEBOOK),
    ("fb.com", FACEBOOK),
    ("fb.me", FACEBOOK),
    ("fb.watch", FACEBOOK),
    ("tiktok.com", s("tiktok", "TikTok", "TikTok", "TikTok")),
    ("zalo.me", s("zalo", "Zalo OA", "Zalo OA", "Zalo 公众号")),
    ("youtube.com", YOUTUBE),
    ("youtu.be", YOUTUBE),
    (
        "instagram.com",
        s("instagram", "Instagram", "Instagram", "Instagram"),
    ),
    (
        "booking.com",
        s(
            "booking",
            "Đặt qua Booking.com",
            "Book on Booking.com",
            "在 Booking.com 预订",
        ),
    ),
    (
        "agoda.com",
        s("agoda", "Đặt qua Agoda", "Book on Agoda", "在 Agoda 预订"),
    ),
    ("airbnb.com", AIRBNB),
    ("airbnb.com.vn", AIRBNB),
    (
        "traveloka.com",
        s(
            "traveloka",
            "Đặt qua Traveloka",
            "Book on Traveloka",
            "在 Traveloka 预订",
        ),
    ),
    ("trip.com", TRIP),
    ("ctrip.com", TRIP),
    ("maps.app.goo.gl", MAPS),
    ("maps.google.com", MAPS),
    (
        "shopee.vn",
        s("shopee", "Mua trên Shopee", "Shop on Shopee", "Shopee 店铺"),
    ),
    (
        "lazada.vn",
        s("lazada", "Mua trên Lazada", "Shop on Lazada", "Lazada 店铺"),
    ),
    (
        "tiki.vn",
        s("tiki", "Mua trên Tiki", "Shop on Tiki", "Tiki 店铺"),
    ),
    // Vietnam Post's and Viettel Post's marketplaces, where farm produce is sold by post.
    ("postmart.vn", POSTAL),
    ("voso.vn", POSTAL),
];

const FACEBOOK: Service = s("facebook", "Facebook", "Facebook", "Facebook");
const YOUTUBE: Service = s("youtube", "YouTube", "YouTube", "YouTube");
const AIRBNB: Service = s(
    "airbnb",
    "Đặt qua Airbnb",
    "Book on Airbnb",
    "在 Airbnb 预订",
);
const TRIP: Service = s(
    "trip",
    "Đặt qua Trip.com",
    "Book on Trip.com",
    "在携程 Trip.com 预订",
);
const MAPS: Service = s("maps", "Google Maps", "Google Maps", "谷歌地图");
const POSTAL: Service = s(
    "postal",
    "Gian hàng bưu điện",
    "Post office shop",
    "邮政商城",
);

/// The booking link of `booking_url`, shown as a button like the others.
pub const BOOKING: Service = s("book", "Đặt phòng", "Book", "预订");

/// Every service's key, for the icons a page may need.
pub fn keys() -> impl Iterator<Item = &'static str> {
    let mut seen: Vec<&'static str> = Vec::new();
    HOSTS
        .iter()
        .map(|(_, s)| s.key)
        .chain([BOOKING.key])
        .filter(move |k| {
            let new = !seen.contains(k);
            seen.push(k);
            new
        })
}

/// Why an address cannot be a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not an absolute address (`facebook.com/x` without `https://`): the fix has it.
    NoScheme(String),
    /// `http://`: the same address with `https://`.
    Http(String),
    /// `javascript:`, `data:`, `ftp:`... (the scheme).
    Scheme(String),
    /// Not an address at all.
    NotAnAddress,
    /// `https://user:password@host/`: a password would be published.
    Credentials,
}

/// The address parsed and checked: `https` with a host, no credentials.
pub fn parse(text: &str) -> Result<Url, Problem> {
    let text = text.trim();
    let url = match Url::parse(text) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            // "facebook.com/nharieng": what was meant is plain; say it with the scheme.
            let fixed = format!("https://{text}");
            return match Url::parse(&fixed) {
                Ok(u) if u.host_str().is_some_and(|h| h.contains('.')) => {
                    Err(Problem::NoScheme(fixed))
                }
                _ => Err(Problem::NotAnAddress),
            };
        }
        Err(_) => return Err(Problem::NotAnAddress),
    };
    match url.scheme() {
        "https" => {}
        "http" => {
            let mut fixed = url.clone();
            // Setting the scheme between two special schemes cannot fail.
            let _ = fixed.set_scheme("https");
            return Err(Problem::Http(fixed.to_string()));
        }
        other => return Err(Problem::Scheme(other.to_string())),
    }
    if url.host_str().is_none_or(|h| !h.contains('.')) {
        return Err(Problem::NotAnAddress);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Problem::Credentials);
    }
    Ok(url)
}

/// The service an address belongs to, by its host (and path, for Google Maps).
pub fn recognise(url: &Url) -> Option<Service> {
    let host = url.host_str()?.trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    let on = |h: &str| host == h || host.ends_with(&format!(".{h}"));
    if let Some((_, s)) = HOSTS.iter().find(|(h, _)| on(h)) {
        // `zalo.me/0912345678` is a person's Zalo (a phone number), not an Official Account.
        if s.key == "zalo" && is_phone(url.path().trim_matches('/')) {
            return Some(ZALO_PERSON);
        }
        return Some(*s);
    }
    let maps_path = url.path().starts_with("/maps");
    let google = host == "google.com" || host.starts_with("google.") || host == "goo.gl";
    (google && maps_path).then_some(MAPS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(u: &str) -> Option<&'static str> {
        recognise(&parse(u).unwrap()).map(|s| s.key)
    }

    #[test]
    fn known_hosts() {
        assert_eq!(key("https://www.facebook.com/nharieng"), Some("facebook"));
        assert_eq!(key("https://m.facebook.com/nharieng"), Some("facebook"));
        assert_eq!(key("https://fb.com/x"), Some("facebook"));
        assert_eq!(key("https://www.tiktok.com/@nharieng"), Some("tiktok"));
        assert_eq!(key("https://zalo.me/4321"), Some("zalo"));
        let label = |u: &str| recognise(&parse(u).unwrap()).map(|s| s.en);
        assert_eq!(label("https://zalo.me/0912345678"), Some("Chat on Zalo"));
        assert_eq!(label("https://zalo.me/84912345678"), Some("Chat on Zalo"));
        assert_eq!(
            label("https://zalo.me/2873542871266519843"),
            Some("Zalo OA")
        );
        assert_eq!(key("https://youtu.be/abc"), Some("youtube"));
        assert_eq!(
            key("https://www.booking.com/hotel/vn/x.html"),
            Some("booking")
        );
        assert_eq!(key("https://www.airbnb.com.vn/rooms/1"), Some("airbnb"));
        assert_eq!(key("https://vn.trip.com/hotels/x"), Some("trip"));
        assert_eq!(key("https://maps.app.goo.gl/abc"), Some("maps"));
        assert_eq!(key("https://www.google.com/maps/place/X"), Some("maps"));
        assert_eq!(key("https://www.google.com/search?q=x"), None);
        assert_eq!(key("https://shopee.vn/nharieng"), Some("shopee"));
        assert_eq!(key("https://postmart.vn/x"), Some("postal"));
        // A host that only ends like a known one is not it.
        assert_eq!(key("https://notfacebook.com/x"), None);
        assert_eq!(key("https://facebook.com.evil.example/x"), None);
    }

    #[test]
    fn only_https_addresses() {
        assert_eq!(
            parse("http://facebook.com/x"),
            Err(Problem::Http("https://facebook.com/x".into()))
        );
        assert_eq!(
            parse("javascript:alert(1)"),
            Err(Problem::Scheme("javascript".into()))
        );
        assert_eq!(
            parse("data:text/html,<script>"),
            Err(Problem::Scheme("data".into()))
        );
        assert_eq!(
            parse("facebook.com/nharieng"),
            Err(Problem::NoScheme("https://facebook.com/nharieng".into()))
        );
        assert_eq!(parse("gọi tôi"), Err(Problem::NotAnAddress));
        assert_eq!(parse("https://a:b@x.vn/"), Err(Problem::Credentials));
        assert!(parse("https://nharieng.vn/").is_ok());
        assert!(keys().count() >= 16);
    }
}
