//! Helpers shared by the workspace's integration tests.
//!
//! The main one is [`TestServer`]: a small HTTP/1.1 server on the loopback
//! interface that records every request it receives and answers each with a
//! canned [`Response`]. The generated clients are pointed at it with
//! `with_base_url(server.base_url())`, so the tests see exactly what went over
//! the wire (method, request target, headers, body) and control exactly what
//! comes back.
//!
//! The server is deliberately simple, and bounded so that a test can never
//! hang on it:
//!
//! - it only binds `127.0.0.1`, on a port the OS picks;
//! - it serves one request per connection and answers with
//!   `Connection: close`, so clients never try to reuse a connection;
//! - a request is its head (read up to the empty line) and then exactly
//!   `Content-Length` bytes of body; `Transfer-Encoding` is refused with 501;
//! - every read waits at most [`READ_TIMEOUT`], the head is at most
//!   [`MAX_HEAD`] bytes and the body at most [`MAX_BODY`] bytes;
//! - dropping the [`TestServer`] stops the accept loop and every connection
//!   still being served.

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::{JoinHandle, JoinSet};

/// How long the server waits for each read from a connection before it gives
/// up on it.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest request head (request line and headers) the server accepts.
pub const MAX_HEAD: usize = 64 * 1024;

/// The largest request body the server accepts.
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// The example response of `GET /users/{id}/payment/balance` in
/// `spec/payments.yaml`.
pub const USER_BALANCE: &str = r#"{
  "created_at": "2025-05-08T23:03:21.704Z",
  "id": "ac585dad-c443-433e-9e24-1ac0d8585a08",
  "map_id": "568d188b-4db2-4978-b6d4-199230d74b23",
  "modeling_app_enterprise_price": {"interval": "month", "price": "27.84", "type": "per_user"},
  "monthly_api_credits_remaining": 5,
  "monthly_api_credits_remaining_monetary_value": "41.26",
  "stable_api_credits_remaining": 6,
  "stable_api_credits_remaining_monetary_value": "63.35",
  "subscription_details": {
    "modeling_app": {
      "annual_discount": 8,
      "description": "Mx0kix5W279znAVLGdcHlu",
      "endpoints_included": ["file"],
      "features": [{"info": "pAFbCtvtLDujHLTBpQKWs84T7pjo4GmmjL0ckyvY8WdKh9"}],
      "monthly_pay_as_you_go_api_credits": 14,
      "monthly_pay_as_you_go_api_credits_monetary_value": "63.21",
      "name": "team",
      "pay_as_you_go_api_credit_price": "99.36",
      "price": {"interval": "day", "price": "17.07", "type": "per_user"},
      "share_links": ["password_protected"],
      "support_tier": "standard",
      "training_data_behavior": "default_on",
      "type": {"saml_sso": true, "type": "organization"},
      "zoo_tools_included": ["modeling_app"]
    }
  },
  "subscription_id": "Wh2SRWgjTPwmZKkGLLr8MyvZ",
  "total_due": "86.32",
  "updated_at": "2025-05-08T23:03:21.704Z"
}"#;

/// A canned response: a status, an optional `Content-Type` and a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code, for example 200.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body, sent as is.
    pub body: Vec<u8>,
    /// More headers, sent after `Content-Type`.
    pub headers: Vec<(String, String)>,
    /// How long the server waits before it answers.
    pub delay: Duration,
}

impl Response {
    /// A response with an `application/json` body (the text is not checked:
    /// tests send invalid JSON on purpose).
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: Some("application/json".to_owned()),
            body: body.into().into_bytes(),
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// A response with a `text/plain; charset=utf-8` body.
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: Some("text/plain; charset=utf-8".to_owned()),
            body: body.into().into_bytes(),
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// A response without a body or a `Content-Type`, for example a 204.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            content_type: None,
            body: Vec::new(),
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }
}

impl Response {
    /// The same response with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The same response, given `delay` after the request was read.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// The responses a [`TestServer`] gives.
#[derive(Debug, Clone)]
pub enum Responses {
    /// The same response to every request.
    Always(Response),
    /// One response per request, in order. Once they are used up, every
    /// further request is answered `500` with a text body that says so.
    InOrder(VecDeque<Response>),
}

impl From<Response> for Responses {
    fn from(response: Response) -> Self {
        Self::Always(response)
    }
}

impl From<Vec<Response>> for Responses {
    fn from(responses: Vec<Response>) -> Self {
        Self::InOrder(responses.into())
    }
}

impl Responses {
    fn next(&mut self) -> Response {
        match self {
            Self::Always(response) => response.clone(),
            Self::InOrder(responses) => responses.pop_front().unwrap_or_else(|| {
                Response::text(500, "TestServer: no canned response left for this request")
            }),
        }
    }
}

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method, for example `GET`.
    pub method: String,
    /// The request target exactly as sent on the wire: the path and the
    /// query, for example `/items?limit=10`.
    pub target: String,
    /// The headers in the order they were sent, names lowercased, values
    /// with surrounding whitespace removed.
    pub headers: Vec<(String, String)>,
    /// The body (`Content-Length` bytes; empty without one).
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The path: the target up to the first `?`.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(path, _)| path)
    }

    /// The query: the target after the first `?`, or `None` without one.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, query)| query)
    }

    /// The value of the first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).into_iter().next()
    }

    /// The values of every header called `name` (case-insensitive), in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(header, _)| *header == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The body as text.
    ///
    /// # Panics
    ///
    /// When the body is not UTF-8.
    pub fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("the request body is not UTF-8")
    }
}

/// What the server task and the [`TestServer`] handle share.
#[derive(Debug)]
struct State {
    responses: Responses,
    requests: Vec<RecordedRequest>,
}

/// A loopback HTTP/1.1 server that records requests and answers with canned
/// responses. See the [crate documentation](crate) for what it supports.
///
/// ```no_run
/// # async fn example() {
/// use codegen_tests::{Response, TestServer};
///
/// let server = TestServer::start(Response::json(200, "{}")).await;
/// // ... point a client at server.base_url() and call it ...
/// let request = server.single_request().await;
/// assert_eq!(request.method, "GET");
/// # }
/// ```
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Binds `127.0.0.1` on a free port and starts serving: one
    /// [`Response`] answers every request, a `Vec<Response>` answers them in
    /// order (see [`Responses`]).
    ///
    /// Must be called within a tokio runtime.
    ///
    /// # Panics
    ///
    /// When the listener cannot be bound.
    pub async fn start(responses: impl Into<Responses>) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind a loopback listener for the test server");
        let addr = listener
            .local_addr()
            .expect("the test server's listener has an address");
        let state = Arc::new(Mutex::new(State {
            responses: responses.into(),
            requests: Vec::new(),
        }));
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&state)));
        Self { addr, state, task }
    }

    /// The URL to send requests to: `http://127.0.0.1:PORT`, without a
    /// trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in the order they were received.
    ///
    /// A request is recorded before it is answered, so once a client call
    /// has returned its request is in the list.
    pub async fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().await.requests.clone()
    }

    /// The request target (path and query) of every request received so
    /// far, in order.
    pub async fn targets(&self) -> Vec<String> {
        self.requests()
            .await
            .into_iter()
            .map(|request| request.target)
            .collect()
    }

    /// The only request received so far.
    ///
    /// # Panics
    ///
    /// When the server received no request or more than one.
    pub async fn single_request(&self) -> RecordedRequest {
        let mut requests = self.requests().await;
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {requests:#?}"
        );
        requests.remove(0)
    }
}

impl Drop for TestServer {
    /// Stops the accept loop; the connections it was serving are dropped
    /// with it.
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A base URL (`http://127.0.0.1:PORT`) that nothing listens on: the port
/// was free a moment ago (the OS gave it to a listener that was then
/// dropped), so connecting to it is refused unless something else took it in
/// between, which is unlikely on a loopback port.
///
/// # Panics
///
/// When no listener can be bound.
pub fn unused_base_url() -> String {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .expect("bind a loopback listener to find a free port");
    let addr = listener.local_addr().expect("the listener has an address");
    drop(listener);
    format!("http://{addr}")
}

/// Accepts connections until the task is aborted. Connections are served in
/// a [`JoinSet`] owned by this task, so aborting it aborts them too.
async fn accept_loop(listener: TcpListener, state: Arc<Mutex<State>>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve(stream, Arc::clone(&state)));
                }
                // For example too many open files: wait a little rather than
                // spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            // Reap finished connections so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Why a request could not be read.
enum ReadError {
    /// The connection was closed, failed or timed out: nothing to answer.
    Gone,
    /// The request was malformed or unsupported: answered with this status
    /// and message.
    Refused(u16, String),
}

/// Serves one request on `stream` and closes it.
async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let response = match read_request(&mut stream).await {
        Ok(request) => {
            let mut state = state.lock().await;
            state.requests.push(request);
            state.responses.next()
        }
        Err(ReadError::Gone) => return,
        Err(ReadError::Refused(status, message)) => {
            Response::text(status, format!("TestServer: {message}"))
        }
    };
    tokio::time::sleep(response.delay).await;
    let _ = write_response(&mut stream, &response).await;
}

/// Reads from `stream` into `buf`, waiting at most [`READ_TIMEOUT`]. Returns
/// how many bytes were read (0 at the end of the stream).
async fn read_some(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<usize, ReadError> {
    let mut chunk = [0u8; 8192];
    match tokio::time::timeout(READ_TIMEOUT, stream.read(&mut chunk)).await {
        Ok(Ok(read)) => {
            buf.extend_from_slice(&chunk[..read]);
            Ok(read)
        }
        Ok(Err(_)) | Err(_) => Err(ReadError::Gone),
    }
}

/// Reads one request: the head up to `\r\n\r\n`, then `Content-Length`
/// bytes of body.
async fn read_request(stream: &mut TcpStream) -> Result<RecordedRequest, ReadError> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|window| window == b"\r\n\r\n") {
            break at;
        }
        if buf.len() > MAX_HEAD {
            return Err(ReadError::Refused(431, "request head too large".to_owned()));
        }
        if read_some(stream, &mut buf).await? == 0 {
            return Err(ReadError::Gone);
        }
    };
    let head = std::str::from_utf8(&buf[..head_end])
        .map_err(|_| ReadError::Refused(400, "request head is not UTF-8".to_owned()))?;
    let mut request = parse_head(head).map_err(|message| ReadError::Refused(400, message))?;

    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Refused(
            501,
            "Transfer-Encoding is not supported, send Content-Length".to_owned(),
        ));
    }
    let lengths = request.header_values("content-length");
    let mut lengths = lengths.iter().map(|value| value.parse::<usize>());
    let length = match (lengths.next(), lengths.next()) {
        (None, _) => 0,
        (Some(Ok(length)), None) => length,
        _ => {
            return Err(ReadError::Refused(
                400,
                "invalid or repeated Content-Length".to_owned(),
            ));
        }
    };
    if length > MAX_BODY {
        return Err(ReadError::Refused(413, "request body too large".to_owned()));
    }

    let mut body = buf.split_off(head_end + 4);
    while body.len() < length {
        if read_some(stream, &mut body).await? == 0 {
            return Err(ReadError::Gone);
        }
    }
    // One request per connection: anything after the body is ignored.
    body.truncate(length);

    request.body = body;
    Ok(request)
}

/// Parses a request head (without the final empty line) into the method,
/// the request target and the headers; the body is left empty.
fn parse_head(head: &str) -> Result<RecordedRequest, String> {
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("malformed request line {request_line:?}"));
    };
    if method.is_empty() || target.is_empty() || !version.starts_with("HTTP/1.") {
        return Err(format!("malformed request line {request_line:?}"));
    }
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("malformed header line {line:?}"));
        };
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(format!("malformed header name in {line:?}"));
        }
        headers.push((
            name.to_ascii_lowercase(),
            value.trim_matches([' ', '\t']).to_owned(),
        ));
    }
    Ok(RecordedRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: Vec::new(),
    })
}

/// Writes `response` with `Connection: close` and shuts the stream down.
async fn write_response(stream: &mut TcpStream, response: &Response) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nConnection: close\r\n",
        response.status,
        reason_phrase(response.status)
    );
    // 1xx, 204 and 304 responses have no body and must not say how long it is.
    let bodiless = matches!(response.status, 100..=199 | 204 | 304);
    if !bodiless {
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    if let Some(content_type) = &response.content_type {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    if !bodiless {
        bytes.extend_from_slice(&response.body);
    }
    stream.write_all(&bytes).await?;
    stream.shutdown().await
}

/// The reason phrase of the common statuses (the client ignores it).
fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        429 => "Too Many Requests",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}
