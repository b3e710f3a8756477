//! Finding a port and the address a phone on the same Wi-Fi can reach.

use std::net::{IpAddr, Ipv4Addr};

/// Bind `bind:port`, or the next free port above it (up to 50 tries).
pub fn listen(bind: IpAddr, port: u16) -> Result<(std::net::TcpListener, u16), String> {
    let mut last = String::new();
    for p in port..port.saturating_add(50) {
        match std::net::TcpListener::bind((bind, p)) {
            Ok(s) => {
                let real = s.local_addr().map(|a| a.port()).unwrap_or(p);
                // tokio takes it over, and needs it non-blocking.
                s.set_nonblocking(true).map_err(|e| e.to_string())?;
                return Ok((s, real));
            }
            Err(e) => last = e.to_string(),
        }
        if p == 0 {
            break;
        }
    }
    Err(format!("no free port from {port}: {last}"))
}

/// IPv4 addresses of this machine's network interfaces other than loopback, for `--bind 0.0.0.0`.
pub fn lan_addresses() -> Vec<Ipv4Addr> {
    let mut out = Vec::new();
    #[cfg(unix)]
    // SAFETY: getifaddrs fills a linked list that we only read and then free exactly once.
    unsafe {
        let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
        if libc::getifaddrs(&mut head) != 0 {
            return out;
        }
        let mut cur = head;
        while !cur.is_null() {
            let addr = (*cur).ifa_addr;
            if !addr.is_null() && i32::from((*addr).sa_family) == libc::AF_INET {
                let sin = addr as *const libc::sockaddr_in;
                let ip = Ipv4Addr::from(u32::from_be((*sin).sin_addr.s_addr));
                if !ip.is_loopback() && !ip.is_unspecified() {
                    out.push(ip);
                }
            }
            cur = (*cur).ifa_next;
        }
        libc::freeifaddrs(head);
    }
    out.sort();
    out.dedup();
    out
}

/// A QR code drawn with block characters, for scanning the preview address off the terminal.
pub fn terminal_qr(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}
