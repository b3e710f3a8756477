//! What the homestay kit's QR codes say: join the Wi-Fi, save the host's number, pay by bank
//! transfer (VietQR, the NAPAS profile of EMVCo merchant-presented QR).

/// Why a payload cannot be made from the given values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadError(pub String);

impl std::fmt::Display for PayloadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Backslash before each of `specials`, as the Wi-Fi and MECARD formats require.
fn escape(value: &str, specials: &[char]) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    for c in value.chars() {
        if specials.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

const WIFI_SPECIALS: &[char] = &['\\', ';', ',', '"', ':'];

/// `WIFI:T:WPA;S:<ssid>;P:<password>;;`, or an open network without a password.
pub fn wifi(ssid: &str, password: Option<&str>) -> Result<String, PayloadError> {
    if ssid.is_empty() || ssid.len() > 32 {
        return Err(PayloadError(
            "a Wi-Fi network name has 1 to 32 bytes".into(),
        ));
    }
    match password {
        Some(p) if !p.is_empty() => {
            if p.len() < 8 || p.len() > 63 {
                return Err(PayloadError("a WPA password has 8 to 63 characters".into()));
            }
            Ok(format!(
                "WIFI:T:WPA;S:{};P:{};;",
                escape(ssid, WIFI_SPECIALS),
                escape(p, WIFI_SPECIALS)
            ))
        }
        _ => Ok(format!("WIFI:T:nopass;S:{};;", escape(ssid, WIFI_SPECIALS))),
    }
}

/// `MECARD:N:<name>;TEL:<phone>;;`: a phone saves the contact in one tap.
pub fn mecard(name: &str, phone: &str) -> Result<String, PayloadError> {
    let tel: String = phone
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect();
    if tel.chars().filter(char::is_ascii_digit).count() < 8 {
        return Err(PayloadError(format!("`{phone}` is not a phone number")));
    }
    let specials = ['\\', ';', ',', ':', '"'];
    Ok(format!("MECARD:N:{};TEL:{tel};;", escape(name, &specials)))
}

/// A VietQR bank transfer to `account` at the bank with NAPAS `bin`, optionally for a fixed
/// `amount` (VND) and with a `purpose` (folded to ASCII, as the field requires).
pub fn vietqr(
    bin: &str,
    account: &str,
    amount: Option<u64>,
    purpose: Option<&str>,
) -> Result<String, PayloadError> {
    if bin.len() != 6 || !bin.chars().all(|c| c.is_ascii_digit()) {
        return Err(PayloadError(format!(
            "bank BIN `{bin}` must be 6 digits (e.g. 970436 for Vietcombank)"
        )));
    }
    if account.is_empty()
        || account.len() > 19
        || !account.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(PayloadError(format!(
            "account `{account}` must be 1 to 19 letters or digits"
        )));
    }
    let beneficiary = tlv("00", bin)? + &tlv("01", account)?;
    let merchant = tlv("00", "A000000727")? + &tlv("01", &beneficiary)? + &tlv("02", "QRIBFTTA")?;
    let mut out = tlv("00", "01")?;
    out += &tlv("01", if amount.is_some() { "12" } else { "11" })?;
    out += &tlv("38", &merchant)?;
    out += &tlv("53", "704")?;
    if let Some(a) = amount {
        if a == 0 || a > 9_999_999_999_999 {
            return Err(PayloadError(format!("amount {a} is out of range")));
        }
        out += &tlv("54", &a.to_string())?;
    }
    out += &tlv("58", "VN")?;
    if let Some(p) = purpose.filter(|p| !p.trim().is_empty()) {
        let ascii: String = deunicode::deunicode(p)
            .chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .take(25)
            .collect();
        out += &tlv("62", &tlv("08", ascii.trim())?)?;
    }
    out += "6304";
    let crc = crc16_ccitt_false(out.as_bytes());
    Ok(format!("{out}{crc:04X}"))
}

/// EMVCo tag-length-value: two-digit id, two-digit length, value.
fn tlv(id: &str, value: &str) -> Result<String, PayloadError> {
    if value.len() > 99 {
        return Err(PayloadError(format!(
            "field {id} is longer than 99 characters"
        )));
    }
    Ok(format!("{id}{:02}{value}", value.len()))
}

/// CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR), which
/// the catalogue calls CRC-16/IBM-3740.
pub fn crc16_ccitt_false(data: &[u8]) -> u16 {
    crc::Crc::<u16>::new(&crc::CRC_16_IBM_3740).checksum(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietqr_known_answer() {
        // DESIGN.md section 5.
        assert_eq!(
            vietqr("970423", "0099999999", None, None).unwrap(),
            "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4"
        );
    }

    #[test]
    fn crc_check_value() {
        // The catalogue check value of CRC-16/CCITT-FALSE.
        assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
    }

    #[test]
    fn vietqr_with_amount_and_purpose() {
        let p = vietqr(
            "970436",
            "0011000000001",
            Some(250_000),
            Some("Tiền phòng Nà Lạn"),
        )
        .unwrap();
        assert!(p.starts_with("000201010212"), "{p}");
        assert!(p.contains("5406250000"), "{p}");
        assert!(p.contains("62210817Tien phong Na Lan"), "{p}");
        let body = &p[..p.len() - 4];
        assert_eq!(
            &p[p.len() - 4..],
            format!("{:04X}", crc16_ccitt_false(body.as_bytes()))
        );
        assert!(vietqr("97043", "1", None, None).is_err());
        assert!(vietqr("970436", "12 34", None, None).is_err());
    }

    #[test]
    fn wifi_escaping() {
        assert_eq!(
            wifi(r#"Nhà "Lan"; 2,4G"#, Some(r"a\b;c,d:e12")).unwrap(),
            r#"WIFI:T:WPA;S:Nhà \"Lan\"\; 2\,4G;P:a\\b\;c\,d\:e12;;"#
        );
        assert_eq!(wifi("Free", None).unwrap(), "WIFI:T:nopass;S:Free;;");
        assert!(wifi("x", Some("short")).is_err());
    }

    #[test]
    fn mecard_contact() {
        assert_eq!(
            mecard("Homestay Nà Lạn", "0912 000 101").unwrap(),
            "MECARD:N:Homestay Nà Lạn;TEL:0912000101;;"
        );
        assert_eq!(
            mecard("A; B", "+84 912 000 101").unwrap(),
            "MECARD:N:A\\; B;TEL:+84912000101;;"
        );
        assert!(mecard("A", "12").is_err());
    }
}
