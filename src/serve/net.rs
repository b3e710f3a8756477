//! Finding a port and the address a phone on the same Wi-Fi can reach.

use std::net::{IpAddr, Ipv4Addr};

/// The port `serve` tries first when none is given.
const DEFAULT_PORT: u16 = 1111;

/// Bind `bind:port` when a port is given (0: any free one), else the default port or the next
/// free one above it (up to 50 tries).
pub fn listen(bind: IpAddr, port: Option<u16>) -> Result<(std::net::TcpListener, u16), String> {
    let mut last = String::new();
    let tries = match port {
        Some(p) => p..p.saturating_add(1),
        None => DEFAULT_PORT..DEFAULT_PORT + 50,
    };
    for p in tries.clone() {
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
    match port {
        Some(p) => Err(format!(
            "port {p} is taken ({last}): stop what holds it (is another `waymark serve` running?), or give another --port"
        )),
        None => Err(format!("no free port from {}: {last}", tries.start)),
    }
}

/// IPv4 addresses of this machine's network interfaces other than loopback, for `--bind
/// 0.0.0.0`: the Wi-Fi's and the Ethernet's first, since a phone reaches the machine there,
/// and virtual ones (Docker's bridge, VPNs) after them.
pub fn lan_addresses() -> Vec<Ipv4Addr> {
    let mut found: Vec<(bool, Ipv4Addr)> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| match i.ip() {
            IpAddr::V4(ip) if !ip.is_loopback() && !ip.is_unspecified() => {
                Some((is_virtual(&i.name), ip))
            }
            _ => None,
        })
        .collect();
    found.sort();
    found.dedup();
    found.into_iter().map(|(_, ip)| ip).collect()
}

/// Interfaces made by software on this machine rather than a network card.
fn is_virtual(name: &str) -> bool {
    [
        "docker",
        "br-",
        "veth",
        "virbr",
        "vboxnet",
        "vmnet",
        "tun",
        "tap",
        "wg",
        "zt",
        "tailscale",
        "lxc",
        "lxd",
        "cni",
        "flannel",
        "podman",
    ]
    .iter()
    .any(|p| name.starts_with(p))
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_docker_bridge_comes_after_the_wifi() {
        assert!(super::is_virtual("docker0") && super::is_virtual("br-3f2a"));
        assert!(
            !super::is_virtual("wlp2s0")
                && !super::is_virtual("eth0")
                && !super::is_virtual("enp3s0")
        );
    }
}
