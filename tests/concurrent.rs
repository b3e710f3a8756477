//! Twenty phones saving at once to `serve --edit --publish`, ten saves each, most of them on an
//! entry another phone is editing too: every save lands or comes back as a conflict with the
//! person's words in it; no landed words are lost; and the live site is, byte for byte, what
//! `waymark build` makes of the final files.

mod common;
use common::editor::*;
use common::*;
use std::time::{Duration, Instant};

const PHONES: usize = 20;
const SAVES: usize = 10;
/// Fewer entries than phones: most saves meet another phone's save of the same entry.
const ENTRIES: usize = 6;

fn homestay(i: usize) -> (String, String) {
    (
        format!("content/homestays/nha-{i}.md"),
        format!(
            "---\ntitle: Nhà nghỉ Bản Hòa {i}\nprice_from: {}000\nphone: \"0912 000 {i:03}\"\ndistrict: Văn Lãng\n---\n\nNhà sàn gỗ bên suối.\n",
            250 + i * 10
        ),
    )
}

/// What one save came back as.
enum Outcome {
    Landed(String),
    Conflict,
}

#[test]
fn twenty_phones_saving_at_once_lose_nothing_and_the_live_site_is_a_fresh_builds() {
    let files: Vec<(String, String)> = (0..ENTRIES).map(homestay).collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let s = site(&refs);
    let ed = start(s.path(), &["--publish"]);
    ed.wait_for_log("published:");

    let admin = pair(&ed.pair_link, "Quản trị");
    let phones: Vec<Browser> = (0..PHONES)
        .map(|p| pair(&another_link(&admin, &ed.base), &format!("Máy {p}")))
        .collect();

    let outcomes: Vec<Vec<Outcome>> = std::thread::scope(|scope| {
        let handles: Vec<_> = phones
            .iter()
            .enumerate()
            .map(|(p, phone)| {
                let base = ed.base.clone();
                scope.spawn(move || {
                    (0..SAVES)
                        .map(|k| {
                            let id = format!("homestays/nha-{}", (p + k) % ENTRIES);
                            // Each save adds a line to the text the phone opened.
                            let mark = format!("Ghi chú của máy {p}, lần {k}: phòng còn trống.");
                            let fields = form_of(phone, &base, &id);
                            let body = fields.iter().find(|(n, _)| n == "body").unwrap();
                            let body = format!("{}\n{mark}\n", body.1.trim_end());
                            let r =
                                save(phone, &base, &id, &with(&fields, &[("body", Some(&body))]));
                            match r.status {
                                303 => Outcome::Landed(mark),
                                409 => {
                                    assert!(
                                        r.body.contains(&mark),
                                        "a conflict keeps the person's words: {}",
                                        r.body
                                    );
                                    Outcome::Conflict
                                }
                                other => panic!("save {id} by phone {p}: {other}: {}", r.body),
                            }
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let landed: Vec<&String> = (outcomes.iter().flatten())
        .filter_map(|o| match o {
            Outcome::Landed(mark) => Some(mark),
            Outcome::Conflict => None,
        })
        .collect();
    let conflicts = PHONES * SAVES - landed.len();
    eprintln!(
        "{} saves landed, {conflicts} came back as conflicts",
        landed.len()
    );
    assert!(landed.len() >= ENTRIES, "saves land: {}", landed.len());
    // Every line a save landed is in its entry's file: a save builds on the text it opened, so a
    // later save either holds the earlier one's line or comes back as a conflict.
    let all: String = (0..ENTRIES)
        .map(|i| read(s.path().join(format!("content/homestays/nha-{i}.md"))))
        .collect();
    for mark in &landed {
        assert!(all.contains(mark.as_str()), "lost: {mark}");
    }

    // Every save has had its answer, each after the publish that followed it: once the server
    // has been quiet for a while, the live site is what a fresh build makes.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = (0, Instant::now());
    while seen.1.elapsed() < Duration::from_millis(1500) {
        let lines = ed.log.lock().unwrap().len();
        if lines != seen.0 {
            seen = (lines, Instant::now());
        }
        assert!(Instant::now() < deadline, "the server never settled");
        std::thread::sleep(Duration::from_millis(50));
    }
    let live = tree(&s.path().join("output/site"));
    drop(ed);
    let fresh = tempfile::tempdir().unwrap();
    let out = build(
        s.path(),
        &["--out", fresh.path().to_str().unwrap(), "--force"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let built = tree(&fresh.path().join("site"));
    let names = |t: &[(std::path::PathBuf, Vec<u8>)]| -> Vec<std::path::PathBuf> {
        t.iter().map(|(p, _)| p.clone()).collect()
    };
    assert_eq!(names(&live), names(&built));
    for ((path, a), (_, b)) in live.iter().zip(&built) {
        assert!(a == b, "{} differs from a fresh build's", path.display());
    }
}
