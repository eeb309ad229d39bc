//! DKIM signatures checked by an independent verifier: dkimpy (Debian package python3-dkim,
//! which `scripts/test` installs), with the public key handed to it in place of a DNS lookup.
//! The key pair comes from openssl, made fresh for the test.

use std::process::Command;

use marketdesk_mailer::{Dkim, TextMail};

fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl").args(args).output().expect("running openssl");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

const VERIFY: &str = r#"
import sys, dkim
message = open(sys.argv[1], 'rb').read()
public = open(sys.argv[2], 'rb').read().strip()
def dns(name, timeout=5):
    assert name == b'md2026._domainkey.md.example.', name
    return b'v=DKIM1; k=rsa; p=' + public
ok = dkim.verify(message, dnsfunc=dns)
print('ok' if ok else 'bad')
"#;

#[test]
fn issues_are_signed_over_the_unsubscribe_headers_and_verify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key_path = dir.path().join("key.pem");
    let key_path = key_path.to_str().expect("utf-8 path");
    openssl(&["genrsa", "-traditional", "-out", key_path, "2048"]);
    let public = openssl(&["rsa", "-in", key_path, "-pubout", "-outform", "DER"]);
    let public_b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, public);
    let pub_path = dir.path().join("public.txt");
    std::fs::write(&pub_path, public_b64).expect("write public key");

    let pem = std::fs::read_to_string(key_path).expect("key");
    let dkim = Dkim::new("md.example", "md2026", &pem).expect("a usable key");
    let mail = TextMail {
        from: "marketdesk <news@md.example>".to_owned(),
        to: "ann@example.com".to_owned(),
        subject: "Daily briefing: a headline".to_owned(),
        text: "Text part.\nUnsubscribe: https://md.example/newsletter/unsubscribe/1-ab\n"
            .to_owned(),
        html: Some("<p>HTML part.</p>".to_owned()),
        message_id: Some("<daily-2026-12-07.1@md.example>".to_owned()),
        headers: vec![
            (
                "List-Unsubscribe".to_owned(),
                "<https://md.example/newsletter/unsubscribe/1-ab>".to_owned(),
            ),
            ("List-Unsubscribe-Post".to_owned(), "List-Unsubscribe=One-Click".to_owned()),
        ],
        ..TextMail::default()
    };
    let bytes = mail.build_signed(Some(&dkim)).expect("signed").formatted();
    let text = String::from_utf8_lossy(&bytes).to_string();
    let signature = text
        .split("\r\n")
        .skip_while(|l| !l.starts_with("DKIM-Signature:"))
        .take_while(|l| l.starts_with("DKIM-Signature:") || l.starts_with([' ', '\t']))
        .collect::<String>()
        .to_ascii_lowercase();
    assert!(signature.contains("list-unsubscribe:list-unsubscribe-post"), "{signature}");
    assert!(signature.contains("d=md.example") && signature.contains("s=md2026"), "{signature}");

    let msg_path = dir.path().join("message.eml");
    std::fs::write(&msg_path, &bytes).expect("write message");
    let verify = |path: &std::path::Path| {
        let out = Command::new("/usr/bin/python3")
            .args(["-c", VERIFY])
            .arg(path)
            .arg(&pub_path)
            .output()
            .expect("running python3 (scripts/test installs python3-dkim)");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(verify(&msg_path), "ok");
    // Changing a signed header breaks the signature: the check can fail.
    let tampered = text.replacen("unsubscribe/1-ab>", "unsubscribe/2-ab>", 1);
    let tampered_path = dir.path().join("tampered.eml");
    std::fs::write(&tampered_path, tampered).expect("write");
    assert_eq!(verify(&tampered_path), "bad");
}

#[test]
fn a_key_that_does_not_read_is_refused_with_the_formats_named() {
    let err = Dkim::new(
        "md.example",
        "s",
        "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----",
    )
    .expect_err("refused");
    assert!(err.to_string().contains("PKCS#1"), "{err}");
}
