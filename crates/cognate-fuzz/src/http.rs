//! A minimal HTTP/1.1 client over one keep-alive connection, writing exactly the bytes it is
//! given (header values the generator chose, any body) and reading one response.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// The longest response body read (the server's answers are small).
const MAX_RESPONSE_BODY: usize = 16 << 20;

#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    /// Header name and raw value bytes; `Host` and `Content-Length` are added.
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
    /// Send the body with `Transfer-Encoding: chunked` in chunks of these sizes (the last one
    /// repeats) instead of with a `Content-Length`.
    pub chunks: Option<Vec<usize>>,
}

impl Request {
    /// The request as sent (for reports).
    pub fn to_bytes(&self, host: &str) -> Vec<u8> {
        let mut out = format!("POST {} HTTP/1.1\r\nHost: {host}\r\n", self.path).into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        let Some(sizes) = &self.chunks else {
            out.extend_from_slice(
                format!("Content-Length: {}\r\n\r\n", self.body.len()).as_bytes(),
            );
            out.extend_from_slice(&self.body);
            return out;
        };
        out.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
        let mut rest = self.body.as_slice();
        let mut sizes = sizes.iter().copied();
        let mut size = 1;
        while !rest.is_empty() {
            size = sizes.next().unwrap_or(size).max(1);
            let (chunk, tail) = rest.split_at(size.min(rest.len()));
            out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            out.extend_from_slice(chunk);
            out.extend_from_slice(b"\r\n");
            rest = tail;
        }
        out.extend_from_slice(b"0\r\n\r\n");
        out
    }

    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| std::str::from_utf8(v).ok())
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

#[derive(Debug)]
pub enum HttpError {
    /// The connection was closed, reset or timed out before a whole response arrived.
    NoResponse(String),
    /// The bytes that came back are not an HTTP/1.1 response.
    Malformed(String),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoResponse(m) => write!(f, "no response: {m}"),
            Self::Malformed(m) => write!(f, "malformed response: {m}"),
        }
    }
}

pub struct Conn {
    addr: SocketAddr,
    pub host: String,
    stream: Option<BufReader<TcpStream>>,
    timeout: Duration,
}

impl Conn {
    pub fn new(addr: SocketAddr, timeout: Duration) -> Self {
        Self {
            addr,
            host: addr.to_string(),
            stream: None,
            timeout,
        }
    }

    /// Sends `req` and reads the response. A reused keep-alive connection that fails before
    /// any response byte is retried once on a fresh one (the server may close idle ones).
    pub fn send(&mut self, req: &Request) -> Result<Response, HttpError> {
        let bytes = req.to_bytes(&self.host);
        let reused = self.stream.is_some();
        match self.exchange(&bytes) {
            Err((HttpError::NoResponse(_), false)) if reused => {
                self.stream = None;
                self.exchange(&bytes).map_err(|(e, _)| e)
            }
            other => other.map_err(|(e, _)| e),
        }
    }

    /// One attempt; on error also tells whether any response byte had arrived.
    fn exchange(&mut self, bytes: &[u8]) -> Result<Response, (HttpError, bool)> {
        let result = self.try_exchange(bytes);
        match &result {
            Ok(r) if !closes(r) => {}
            _ => self.stream = None,
        }
        result
    }

    fn try_exchange(&mut self, bytes: &[u8]) -> Result<Response, (HttpError, bool)> {
        let none = |m: String| (HttpError::NoResponse(m), false);
        if self.stream.is_none() {
            let s = TcpStream::connect_timeout(&self.addr, self.timeout)
                .map_err(|e| none(format!("connect: {e}")))?;
            s.set_read_timeout(Some(self.timeout))
                .map_err(|e| none(e.to_string()))?;
            s.set_write_timeout(Some(self.timeout))
                .map_err(|e| none(e.to_string()))?;
            s.set_nodelay(true).map_err(|e| none(e.to_string()))?;
            self.stream = Some(BufReader::new(s));
        }
        let Some(stream) = self.stream.as_mut() else {
            return Err(none("no connection".into()));
        };
        // A server may answer before reading the whole body (an unknown operation, a body
        // over the limit) and close: the write then fails, but the answer is there to read.
        let written = stream.get_mut().write_all(bytes);
        match (read_response(stream), written) {
            (Ok(r), Ok(())) => Ok(r),
            (Ok(r), Err(_)) => {
                self.stream = None;
                Ok(r)
            }
            (Err(e), Ok(())) => Err(e),
            (Err(_), Err(w)) => Err(none(format!("write: {w}"))),
        }
    }
}

fn closes(r: &Response) -> bool {
    r.header("connection")
        .is_some_and(|v| v.eq_ignore_ascii_case("close"))
}

fn read_line(
    stream: &mut BufReader<TcpStream>,
    started: bool,
) -> Result<Vec<u8>, (HttpError, bool)> {
    let mut line = Vec::new();
    match stream.read_until(b'\n', &mut line) {
        Ok(0) => Err((
            HttpError::NoResponse("connection closed before a response".into()),
            started,
        )),
        Ok(_) if line.ends_with(b"\n") => {
            while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                line.pop();
            }
            Ok(line)
        }
        Ok(_) => Err((
            HttpError::NoResponse("connection closed mid-response".into()),
            true,
        )),
        Err(e) => Err((HttpError::NoResponse(format!("read: {e}")), started)),
    }
}

fn read_response(stream: &mut BufReader<TcpStream>) -> Result<Response, (HttpError, bool)> {
    let malformed = |m: String| (HttpError::Malformed(m), true);
    let status_line = read_line(stream, false)?;
    let status_line = String::from_utf8_lossy(&status_line).into_owned();
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| malformed(format!("status line {status_line:?}")))?;
    let mut headers = Vec::new();
    loop {
        let line = read_line(stream, true)?;
        if line.is_empty() {
            break;
        }
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            return Err(malformed("header line without a colon".into()));
        };
        let name = String::from_utf8_lossy(&line[..colon]).trim().to_owned();
        let value = line[colon + 1..].trim_ascii().to_vec();
        headers.push((name, value));
    }
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    let chunked = response
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    if chunked {
        response.body = read_chunked(stream)?;
    } else if let Some(len) = response.header("content-length") {
        let len: usize = len
            .trim()
            .parse()
            .map_err(|_| malformed(format!("content-length {len:?}")))?;
        if len > MAX_RESPONSE_BODY {
            return Err(malformed(format!("a {len}-byte response body")));
        }
        response.body = vec![0; len];
        stream.read_exact(&mut response.body).map_err(|e| {
            (
                HttpError::NoResponse(format!("reading the body: {e}")),
                true,
            )
        })?;
    } else if status != 204 && status != 304 {
        return Err(malformed("a response without a length".into()));
    }
    Ok(response)
}

fn read_chunked(stream: &mut BufReader<TcpStream>) -> Result<Vec<u8>, (HttpError, bool)> {
    let mut body = Vec::new();
    loop {
        let line = read_line(stream, true)?;
        let size = String::from_utf8_lossy(&line);
        let size = size.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| (HttpError::Malformed(format!("chunk size {size:?}")), true))?;
        if body.len() + size > MAX_RESPONSE_BODY {
            return Err((HttpError::Malformed("response body too large".into()), true));
        }
        let start = body.len();
        body.resize(start + size, 0);
        stream
            .read_exact(&mut body[start..])
            .map_err(|e| (HttpError::NoResponse(format!("reading a chunk: {e}")), true))?;
        read_line(stream, true)?;
        if size == 0 {
            return Ok(body);
        }
    }
}

/// `GET path` on a fresh connection (health checks, JWKS): the status, or an error.
pub fn get(addr: SocketAddr, path: &str, timeout: Duration) -> Result<u16, String> {
    let mut s = TcpStream::connect_timeout(&addr, timeout).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(s);
    read_response(&mut reader)
        .map(|r| r.status)
        .map_err(|(e, _)| e.to_string())
}
