//! Test harness: run the real binary, and a loopback HTTP server that plays EDGAR.

#![allow(dead_code, unreachable_pub)]

use std::{
    collections::HashMap,
    io::{BufRead, BufReader, Write},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("fixtures").join(rel)
}

/// The marketdesk binary with a private store and no config from the caller's directory.
pub fn marketdesk(db: &Path) -> Command {
    marketdesk_at(db.parent().unwrap_or(Path::new(".")), db.as_os_str())
}

/// The binary on the store at `location` (a path or URL), run in `dir`.
pub fn marketdesk_at(dir: &Path, location: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marketdesk"));
    cmd.env_remove("MARKETDESK_CONFIG")
        .env_remove("MARKETDESK_EDGAR_USER_AGENT")
        .env_remove("RUST_LOG")
        .env("MARKETDESK_DB", location)
        .current_dir(dir);
    cmd
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A process started by a test, its stderr gathered as it comes (so a test can wait for a
/// line, such as the address a site listens on), killed if the test ends first.
pub struct Running {
    child: Child,
    log: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Starts `cmd` with stderr piped.
    pub fn spawn(cmd: &mut Command) -> Running {
        let mut child = cmd.stderr(Stdio::piped()).spawn().expect("the process starts");
        let log: Arc<Mutex<String>> = Arc::default();
        let reader = child.stderr.take().map(|stderr| {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    let mut log = log.lock().expect("lock");
                    log.push_str(&line);
                    log.push('\n');
                }
            })
        });
        Running { child, log, reader }
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// What the process has written to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().expect("lock").clone()
    }

    /// Waits up to two minutes for a stderr line holding `needle`, and returns it; fails
    /// with the log if the process ends first or the time runs out.
    pub fn line_with(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(line) = self.log().lines().find(|l| l.contains(needle)) {
                return line.to_owned();
            }
            if let Some(status) = self.child.try_wait().expect("wait") {
                self.finish_log();
                panic!("exited ({status}) before writing {needle:?}:\n{}", self.log());
            }
            assert!(Instant::now() < deadline, "no {needle:?} in two minutes:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The address in the `serving ... on ADDR` line a site writes once it listens.
    pub fn serving_addr(&mut self) -> String {
        let line = self.line_with(": serving ");
        line.rsplit(" on ")
            .next()
            .and_then(|rest| rest.split_whitespace().next())
            .map(|addr| addr.trim_start_matches("http://").to_owned())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
    }

    /// Sends SIGTERM and waits up to a minute for a successful exit (`run` gives its jobs
    /// 30 s and its site 15); returns the whole log.
    pub fn terminate(mut self) -> String {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                self.finish_log();
                let log = self.log();
                assert!(status.success(), "exited with {status}: {log}");
                return log;
            }
            assert!(
                Instant::now() < deadline,
                "still running a minute after SIGTERM:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Once the process has ended: waits for the reader to take its last lines.
    fn finish_log(&mut self) {
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub user_agent: Option<String>,
    pub if_none_match: Option<String>,
    pub at: Instant,
}

/// What to answer instead of the file: a status and extra headers.
pub type Override = Option<(u16, Vec<(&'static str, String)>)>;

/// Decides, from the path and how many times it was asked for before, whether to answer
/// something other than the file.
pub type Behaviour = Arc<dyn Fn(&str, usize) -> Override + Send + Sync>;

/// A loopback HTTP/1.1 server over a directory laid out like www.sec.gov.
pub struct EdgarServer {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl EdgarServer {
    pub fn start(root: PathBuf, behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}/", listener.local_addr().expect("addr"));
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let counts: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, behaviour, log, counts) =
                    (root.clone(), behaviour.clone(), log.clone(), counts.clone());
                std::thread::spawn(move || serve(stream, &root, &*behaviour, &log, &counts));
            }
        });
        EdgarServer { url, seen }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

fn serve(
    stream: TcpStream,
    root: &Path,
    behaviour: &(dyn Fn(&str, usize) -> Override + Send + Sync),
    log: &Mutex<Vec<Seen>>,
    counts: &Mutex<HashMap<String, usize>>,
) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut user_agent = None;
    let mut if_none_match = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("user-agent")
        {
            user_agent = Some(v.trim().to_owned());
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("if-none-match")
        {
            if_none_match = Some(v.trim().to_owned());
        }
    }
    log.lock().expect("lock").push(Seen {
        path: path.clone(),
        user_agent,
        if_none_match,
        at: Instant::now(),
    });
    let attempt = {
        let mut c = counts.lock().expect("lock");
        let n = c.entry(path.clone()).or_insert(0);
        *n += 1;
        *n - 1
    };
    let file = || std::fs::read(root.join(path.trim_start_matches('/')));
    let (status, headers, body) = match behaviour(&path, attempt) {
        // 200 with extra headers (an ETag): the file itself.
        Some((200, headers)) => match file() {
            Ok(body) => (200, headers, body),
            Err(_) => (404, vec![], b"File Not Found".to_vec()),
        },
        Some((status, headers)) => (status, headers, b"refused".to_vec()),
        None => match file() {
            Ok(body) => (200, vec![], body),
            Err(_) => (404, vec![], b"File Not Found".to_vec()),
        },
    };
    let mut out = stream;
    let mut head =
        format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&body);
}
