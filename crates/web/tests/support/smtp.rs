//! A real SMTP server on loopback (Debian's `python3-aiosmtpd`, which `scripts/test` installs)
//! delivering into a Maildir, and the messages read back. Shared with the binary's tests
//! (`crates/cli/tests/newsletter.rs` includes this file), so it depends on nothing but std and
//! `SmtpConfig`.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
};

use marketdesk_web::SmtpConfig;

/// aiosmtpd on a loopback port of its own, delivering into a Maildir; killed on drop.
pub struct SmtpSink {
    child: Child,
    port: u16,
    maildir: PathBuf,
    _dir: tempfile::TempDir,
}

/// aiosmtpd's SMTP protocol on a socket the OS picks (port 0), its port printed once it
/// listens: no window in which another socket can take a port chosen beforehand.
const SERVER: &str = "
import asyncio, sys
from aiosmtpd.smtp import SMTP
from aiosmtpd.handlers import Mailbox
async def main():
    handler = Mailbox(sys.argv[1])
    server = await asyncio.get_running_loop().create_server(lambda: SMTP(handler), '127.0.0.1', 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()
asyncio.run(main())
";

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let dir = tempfile::tempdir().expect("tempdir");
        let maildir = dir.path().join("Maildir");
        let mut child = Command::new("/usr/bin/python3")
            .args(["-c", SERVER])
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect(
                "starting aiosmtpd (Debian package python3-aiosmtpd; scripts/test installs it)",
            );
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            // The first line once it listens (Python takes a moment to import its modules).
            let _ = BufReader::new(out).read_line(&mut line);
        }
        let Ok(port) = line.trim().parse() else {
            let status = child.try_wait();
            panic!("aiosmtpd did not start ({status:?}); python3-aiosmtpd must be installed");
        };
        SmtpSink { child, port, maildir, _dir: dir }
    }

    pub fn config(&self) -> SmtpConfig {
        SmtpConfig::from_url(&format!("smtp://127.0.0.1:{}", self.port)).expect("smtp url")
    }

    /// Every message delivered so far, oldest file name first.
    pub fn messages(&self) -> Vec<Mail> {
        let new = self.maildir.join("new");
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&new) {
            Ok(d) => d.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        files.iter().map(|f| Mail::read(f)).collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A delivered message: its headers (unfolded) and its body with soft line breaks joined.
#[derive(Debug)]
pub struct Mail {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Mail {
    pub fn read(path: &Path) -> Mail {
        let raw = std::fs::read_to_string(path).expect("message").replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some(last) = headers.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
            } else if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        let mail = Mail { headers, body: body.to_owned() };
        let body = if mail.header("content-transfer-encoding") == "quoted-printable" {
            quoted_printable(&mail.body)
        } else {
            mail.body.clone()
        };
        Mail { body, ..mail }
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

/// Decodes a quoted-printable body (UTF-8 text).
pub fn quoted_printable(s: &str) -> String {
    let joined = s.replace("=\n", "");
    let b = joined.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = joined.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
        if let (b'=', Some(v)) = (b[i], hex) {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
