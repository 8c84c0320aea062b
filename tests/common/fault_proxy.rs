//! A loopback HTTP proxy in front of the emulator that breaks chosen calls on purpose.
//!
//! IAM and STS speak the query protocol: every request is a POST whose form body names the
//! call (`Action=CreateAccessKey&...`). The proxy reads each request, decides by its action and
//! how many of that action it has seen whether to break it, and otherwise forwards it on a
//! fresh upstream connection and relays the reply. Client connections are kept alive, as the
//! SDK expects.
//!
//! Faults (see [`Fault`]): a reset before the request reaches the endpoint, a reply lost after
//! the endpoint acted, a hang (no answer at all), HTTP 500 without an IAM code, 503
//! `ServiceUnavailable`, 400 `Throttling`, and the endpoint dying (the listener closes: every
//! later connection is refused).

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What happens to a call the proxy breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The connection is reset before the request reaches the endpoint.
    Reset,
    /// The endpoint handles the request; its reply is dropped and the connection reset.
    LostReply,
    /// The request never reaches the endpoint and no answer comes: the connection stays open
    /// and silent until the proxy is dropped.
    Hang,
    /// HTTP 500 with an HTML page and no IAM error code.
    ServerError,
    /// HTTP 503 with IAM's `ServiceUnavailable`.
    Unavailable,
    /// HTTP 400 with IAM's `Throttling`.
    Throttle,
    /// The endpoint dies at this request: it is reset, and the listener closes.
    Die,
}

#[derive(Debug)]
struct Rule {
    action: String,
    /// Occurrences of the action to let through before breaking it.
    skip: usize,
    /// How many occurrences to break after that.
    times: usize,
    fault: Fault,
}

struct Inner {
    upstream: SocketAddr,
    rules: Mutex<Vec<Rule>>,
    /// The action of every request seen, in order.
    seen: Mutex<Vec<String>>,
    /// The faults applied, as (action, fault).
    applied: Mutex<Vec<(String, Fault)>>,
    stopped: AtomicBool,
    dead: AtomicBool,
    /// A second handle on each open client connection, by number, to shut it down when the
    /// proxy stops (so its thread ends). Removed before the connection is reset: a reset
    /// needs the last handle closed.
    clients: Mutex<HashMap<u64, TcpStream>>,
}

pub struct FaultProxy {
    port: u16,
    inner: Arc<Inner>,
    accept: Option<JoinHandle<()>>,
}

impl FaultProxy {
    /// A proxy on a free loopback port in front of `upstream` (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str) -> FaultProxy {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|e| panic!("the fault proxy needs host:port, not {upstream}: {e}"));
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the fault proxy");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let port = listener.local_addr().unwrap().port();
        let inner = Arc::new(Inner {
            upstream,
            rules: Mutex::new(Vec::new()),
            seen: Mutex::new(Vec::new()),
            applied: Mutex::new(Vec::new()),
            stopped: AtomicBool::new(false),
            dead: AtomicBool::new(false),
            clients: Mutex::new(HashMap::new()),
        });
        let accept = {
            let inner = inner.clone();
            std::thread::spawn(move || accept_loop(listener, inner))
        };
        FaultProxy {
            port,
            inner,
            accept: Some(accept),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Breaks occurrences `skip + 1 ..= skip + times` of `action` (counted from now).
    pub fn fail(&self, action: &str, skip: usize, times: usize, fault: Fault) {
        self.inner.rules.lock().unwrap().push(Rule {
            action: action.to_string(),
            skip,
            times,
            fault,
        });
    }

    /// Forgets every rule not yet used up.
    pub fn clear(&self) {
        self.inner.rules.lock().unwrap().clear();
    }

    /// The actions of the requests seen so far.
    pub fn calls(&self) -> Vec<String> {
        self.inner.seen.lock().unwrap().clone()
    }

    /// The faults applied so far.
    pub fn applied(&self) -> Vec<(String, Fault)> {
        self.inner.applied.lock().unwrap().clone()
    }

    pub fn is_dead(&self) -> bool {
        self.inner.dead.load(Ordering::SeqCst)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.inner.stopped.store(true, Ordering::SeqCst);
        for (_, c) in self.inner.clients.lock().unwrap().drain() {
            let _ = c.shutdown(Shutdown::Both);
        }
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

fn accept_loop(listener: TcpListener, inner: Arc<Inner>) {
    let mut next_id = 0u64;
    loop {
        if inner.stopped.load(Ordering::SeqCst) || inner.dead.load(Ordering::SeqCst) {
            // Dropping the listener: later connections are refused, as by a dead endpoint.
            return;
        }
        match listener.accept() {
            Ok((client, _)) => {
                let _ = client.set_nonblocking(false);
                next_id += 1;
                let id = next_id;
                if let Ok(c) = client.try_clone() {
                    inner.clients.lock().unwrap().insert(id, c);
                }
                let inner = inner.clone();
                std::thread::spawn(move || {
                    let mut client = client;
                    let end = serve(&mut client, &inner);
                    inner.clients.lock().unwrap().remove(&id);
                    match end {
                        End::Reset => reset(client),
                        End::Close => drop(client),
                    }
                });
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// The fault for this occurrence of `action`, if a rule breaks it.
fn decide(inner: &Inner, action: &str) -> Option<Fault> {
    let mut rules = inner.rules.lock().unwrap();
    for rule in rules.iter_mut().filter(|r| r.action == action) {
        if rule.skip > 0 {
            rule.skip -= 1;
            continue;
        }
        if rule.times > 0 {
            rule.times -= 1;
            return Some(rule.fault);
        }
    }
    None
}

/// How a client connection ends.
enum End {
    Close,
    Reset,
}

fn serve(client: &mut TcpStream, inner: &Inner) -> End {
    loop {
        let Some(request) = read_request(client) else {
            return End::Close;
        };
        let action = action_of(&request.body);
        inner.seen.lock().unwrap().push(action.clone());
        if inner.dead.load(Ordering::SeqCst) || inner.stopped.load(Ordering::SeqCst) {
            return End::Reset;
        }
        let fault = decide(inner, &action);
        if let Some(f) = fault {
            inner.applied.lock().unwrap().push((action.clone(), f));
        }
        match fault {
            None => match forward(inner, &request) {
                Some(reply) => {
                    if client.write_all(&reply).is_err() {
                        return End::Close;
                    }
                }
                None => return End::Reset,
            },
            Some(Fault::Reset) => return End::Reset,
            Some(Fault::Die) => {
                inner.dead.store(true, Ordering::SeqCst);
                return End::Reset;
            }
            Some(Fault::LostReply) => {
                let _ = forward(inner, &request);
                return End::Reset;
            }
            Some(Fault::Hang) => {
                while !inner.stopped.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(20));
                }
                return End::Reset;
            }
            Some(Fault::ServerError) => {
                let page = "<html><body><h1>500 Internal Server Error</h1></body></html>";
                let _ =
                    client.write_all(&response(500, "Internal Server Error", "text/html", page));
            }
            Some(Fault::Unavailable) => {
                let body = error_xml("Receiver", "ServiceUnavailable", "Service is unavailable");
                let _ = client.write_all(&response(503, "Service Unavailable", "text/xml", &body));
            }
            Some(Fault::Throttle) => {
                let body = error_xml("Sender", "Throttling", "Rate exceeded");
                let _ = client.write_all(&response(400, "Bad Request", "text/xml", &body));
            }
        }
    }
}

struct Request {
    head: String,
    body: Vec<u8>,
}

/// One HTTP/1.1 request with a Content-Length body; `None` at the end of the connection.
fn read_request(client: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = find(&buf, b"\r\n\r\n") {
            break at;
        }
        let n = client.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length = header(&head, "content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = client.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Some(Request { head, body })
}

/// Sends the request upstream on a connection of its own and returns the reply, re-framed
/// with a Content-Length so the client connection can stay alive.
fn forward(inner: &Inner, request: &Request) -> Option<Vec<u8>> {
    let mut up = TcpStream::connect_timeout(&inner.upstream, Duration::from_secs(5)).ok()?;
    let mut head: Vec<&str> = request
        .head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    head.push("Connection: close");
    let mut out = head.join("\r\n").into_bytes();
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(&request.body);
    up.write_all(&out).ok()?;
    let mut reply = Vec::new();
    up.read_to_end(&mut reply).ok()?;
    let head_end = find(&reply, b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&reply[..head_end]).into_owned();
    let mut body = reply[head_end + 4..].to_vec();
    if header(&head, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        body = dechunk(&body)?;
    } else if let Some(n) = header(&head, "content-length").and_then(|v| v.parse().ok()) {
        body.truncate(n);
    }
    let kept: Vec<&str> = head
        .split("\r\n")
        .filter(|l| {
            let l = l.to_ascii_lowercase();
            !l.starts_with("connection:")
                && !l.starts_with("content-length:")
                && !l.starts_with("transfer-encoding:")
        })
        .collect();
    let mut out = kept.join("\r\n").into_bytes();
    out.extend_from_slice(format!("\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(&body);
    Some(out)
}

fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = find(body, b"\r\n")?;
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

fn response(status: u16, reason: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nx-amzn-RequestId: fault-proxy\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn error_xml(kind: &str, code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>"
    )
}

/// Resets the connection (RST, not FIN), as a failing network does.
fn reset(stream: TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket descriptor and a correctly sized option value.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
    drop(stream);
}

fn action_of(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .split('&')
        .find_map(|kv| kv.strip_prefix("Action="))
        .unwrap_or("?")
        .to_string()
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.split("\r\n").skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
