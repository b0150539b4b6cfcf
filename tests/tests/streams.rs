//! The client of `tests/fixtures/streams-api` against loopback servers:
//! lists walked page by page (`x-dropshot-pagination`), and bodies of tens of
//! megabytes sent and received as streams, never whole in memory.

use codegen_tests::{Response, TestServer};
use futures_util::{StreamExt, TryStreamExt};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use streams_api::Client;
use streams_api::types::{CreatedAtSortMode, Invoice, InvoiceResultsPage};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

fn client(server: &TestServer) -> Client {
    Client::new().with_base_url(server.base_url())
}

/// A page of invoices `ids`, and the token of the next page, if any.
fn page(ids: &[&str], next: Option<&str>) -> Response {
    let items: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({"id": id, "total": "1.50"}))
        .collect();
    let body = serde_json::json!({"items": items, "next_page": next});
    Response::json(200, body.to_string())
}

fn ids(invoices: &[Invoice]) -> Vec<&str> {
    invoices.iter().map(|i| i.id.as_str()).collect()
}

// ---------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------

#[tokio::test]
async fn three_pages_are_walked_in_order_and_later_pages_send_only_the_token_and_limit() {
    let server = TestServer::start(vec![
        page(&["a", "b"], Some("t1")),
        page(&["c", "d"], Some("t2")),
        page(&["e"], None),
    ])
    .await;
    let invoices: Vec<Invoice> = client(&server)
        .list_invoices()
        .limit(2)
        .sort_by(&CreatedAtSortMode::CreatedAtDescending)
        .status("open")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&invoices), ["a", "b", "c", "d", "e"]);
    let targets = server.targets().await;
    // The first page carries the filters; the token stands for them after.
    assert_eq!(
        targets,
        [
            "/invoices?limit=2&sort_by=created_at_descending&status=open",
            "/invoices?limit=2&page_token=t1",
            "/invoices?limit=2&page_token=t2",
        ]
    );
}

#[tokio::test]
async fn an_empty_last_page_ends_the_stream() {
    let server = TestServer::start(vec![page(&["a"], Some("t1")), page(&[], None)]).await;
    let invoices: Vec<Invoice> = client(&server)
        .list_invoices_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&invoices), ["a"]);
    assert_eq!(server.requests().await.len(), 2);
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream_with_an_error_instead_of_looping() {
    let server = TestServer::start(vec![
        page(&["a"], Some("t1")),
        page(&["b"], Some("t2")),
        page(&["c"], Some("t1")),
        // Never asked for.
        page(&["d"], None),
    ])
    .await;
    let client = client(&server);
    let mut stream = Box::pin(client.list_invoices().stream());
    let mut seen = Vec::new();
    let error = loop {
        match stream.next().await {
            Some(Ok(invoice)) => seen.push(invoice.id),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without an error after {seen:?}"),
        }
    };
    assert_eq!(seen, ["a", "b", "c"]);
    match error {
        streams_api::Error::RepeatedPageToken { token } => assert_eq!(token, "t1"),
        other => panic!("expected RepeatedPageToken, got {other:?}"),
    }
    assert!(stream.next().await.is_none(), "nothing after the error");
    assert_eq!(server.requests().await.len(), 3);
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_and_ends_the_stream() {
    let server = TestServer::start(vec![
        page(&["a", "b"], Some("t1")),
        Response::json(
            503,
            r#"{"message":"try later","request_id":"r-9","error_code":"busy"}"#,
        ),
        page(&["c"], None),
    ])
    .await;
    let items: Vec<_> = client(&server).list_invoices().stream().collect().await;
    assert_eq!(items.len(), 3, "two items, then the error: {items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "a");
    assert_eq!(items[1].as_ref().unwrap().id, "b");
    match &items[2] {
        Err(streams_api::Error::Api { body, response }) => {
            assert_eq!(response.status(), 503);
            assert_eq!(body.message, "try later");
        }
        other => panic!("expected the API error, got {other:?}"),
    }
    assert_eq!(
        server.requests().await.len(),
        2,
        "no request after the error"
    );
}

#[tokio::test]
async fn pages_can_be_walked_one_at_a_time_and_path_parameters_stay() {
    let members = |ids: &[&str], next: Option<&str>| {
        let items: Vec<_> = ids
            .iter()
            .map(|id| serde_json::json!({"user_id": id}))
            .collect();
        Response::json(
            200,
            serde_json::json!({"items": items, "next_page": next}).to_string(),
        )
    };
    let server =
        TestServer::start(vec![members(&["u1"], Some("p2")), members(&["u2"], None)]).await;
    let client = client(&server);
    let mut pages = Box::pin(client.list_org_members("org 1").limit(1).pages());
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.items[0].user_id, "u1");
    assert_eq!(first.next_page.as_deref(), Some("p2"));
    let second = pages.next().await.unwrap().unwrap();
    assert_eq!(second.items[0].user_id, "u2");
    assert!(pages.next().await.is_none());
    let targets = server.targets().await;
    assert_eq!(
        targets,
        [
            "/orgs/org%201/members?limit=1",
            "/orgs/org%201/members?limit=1&page_token=p2"
        ]
    );
}

#[tokio::test]
async fn one_page_is_still_a_plain_call() {
    let server = TestServer::start(page(&["a"], Some("t1"))).await;
    let page: InvoiceResultsPage = client(&server).list_invoices().limit(1).await.unwrap();
    assert_eq!(ids(&page.items), ["a"]);
    assert_eq!(page.next_page.as_deref(), Some("t1"));
}

// ---------------------------------------------------------------------------
// Byte streams
// ---------------------------------------------------------------------------

/// 64 MiB: more than a client should hold at once for one response.
const LARGE: u64 = 64 << 20;
const CHUNK: usize = 64 << 10;

/// Reads a request's head (the request line and headers) and returns it.
async fn read_head(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> String {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        if line == "\r\n" || line.is_empty() {
            return head;
        }
        head.push_str(&line);
    }
}

/// A server that answers one request with `LARGE` bytes of `0x5a`, written
/// `CHUNK` at a time, counting in `written` what it has written so far.
async fn download_server(written: Arc<AtomicU64>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut reader = BufReader::new(read);
        read_head(&mut reader).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {LARGE}\r\n\r\n"
        );
        write.write_all(head.as_bytes()).await.unwrap();
        let chunk = vec![0x5a_u8; CHUNK];
        let mut sent = 0;
        while sent < LARGE {
            if write.write_all(&chunk).await.is_err() {
                return;
            }
            sent += CHUNK as u64;
            written.store(sent, Ordering::SeqCst);
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_large_download_arrives_as_a_stream_of_chunks() {
    let written = Arc::new(AtomicU64::new(0));
    let base_url = download_server(Arc::clone(&written)).await;
    let client = Client::new().with_base_url(base_url);
    let mut body = client
        .download_file("model.obj")
        .bytes_stream()
        .await
        .unwrap();
    assert_eq!(body.status(), 200);
    assert_eq!(
        body.headers()["content-length"].to_str().unwrap(),
        LARGE.to_string()
    );
    let first = body.next().await.unwrap().unwrap();
    // The first chunk is in hand while most of the body is still unsent:
    // nothing waited for the whole of it.
    let when_first = written.load(Ordering::SeqCst);
    assert!(
        when_first < LARGE / 2,
        "{when_first} of {LARGE} bytes were written before the first chunk arrived"
    );
    let mut total = first.len() as u64;
    let mut chunks = 1;
    let mut largest = first.len();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        assert!(chunk.iter().all(|b| *b == 0x5a));
        total += chunk.len() as u64;
        largest = largest.max(chunk.len());
        chunks += 1;
    }
    assert_eq!(total, LARGE);
    assert!(chunks > 100, "{chunks} chunks");
    assert!(largest <= 1 << 20, "the largest chunk held {largest} bytes");
}

#[tokio::test]
async fn a_download_that_fails_is_the_documented_error() {
    let server = TestServer::start(Response::json(
        404,
        r#"{"message":"no such file","request_id":"r-1"}"#,
    ))
    .await;
    let error = client(&server)
        .download_file("missing")
        .bytes_stream()
        .await
        .unwrap_err();
    match error {
        streams_api::Error::Api { body, response } => {
            assert_eq!(response.status(), 404);
            assert_eq!(body.message, "no such file");
        }
        other => panic!("expected the API error, got {other:?}"),
    }
}

/// A server that reads one chunked (or sized) request body, counting in
/// `received` the body bytes read so far, and answers `204`. Returns the
/// base URL, and a handle that gives the request head, the body's length
/// and its first mebibyte.
async fn upload_server(
    received: Arc<AtomicU64>,
) -> (String, tokio::task::JoinHandle<(String, u64, Vec<u8>)>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut reader = BufReader::new(read);
        let head = read_head(&mut reader).await;
        let lower = head.to_ascii_lowercase();
        let mut buffer = vec![0_u8; CHUNK];
        let mut total = 0_u64;
        let mut kept = Vec::new();
        if lower.contains("transfer-encoding: chunked") {
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).await.unwrap();
                let size = u64::from_str_radix(line.trim(), 16).unwrap();
                let mut left = size;
                while left > 0 {
                    let n = (left as usize).min(buffer.len());
                    reader.read_exact(&mut buffer[..n]).await.unwrap();
                    if kept.len() < 1 << 20 {
                        kept.extend_from_slice(&buffer[..n]);
                    }
                    left -= n as u64;
                    total += n as u64;
                    received.store(total, Ordering::SeqCst);
                }
                let mut crlf = [0_u8; 2];
                reader.read_exact(&mut crlf).await.unwrap();
                if size == 0 {
                    break;
                }
            }
        } else {
            let length: u64 = lower
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            while total < length {
                let n = ((length - total) as usize).min(buffer.len());
                reader.read_exact(&mut buffer[..n]).await.unwrap();
                total += n as u64;
                received.store(total, Ordering::SeqCst);
            }
        }
        write
            .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
            .await
            .unwrap();
        (head, total, kept)
    });
    (format!("http://{addr}"), task)
}

#[tokio::test]
async fn a_large_upload_is_sent_from_a_stream_as_it_is_made() {
    let received = Arc::new(AtomicU64::new(0));
    let (base_url, server) = upload_server(Arc::clone(&received)).await;
    // 64 chunks of 1 MiB, each made only when the client asks for it; when
    // the last is made, the server must have most of the others already.
    const PIECE: u64 = 1 << 20;
    let made = Arc::new(AtomicU64::new(0));
    let received_when_last_made = Arc::new(AtomicU64::new(0));
    let chunks = futures_util::stream::iter(0..LARGE / PIECE).map({
        let made = Arc::clone(&made);
        let received = Arc::clone(&received);
        let at_last = Arc::clone(&received_when_last_made);
        move |i| {
            made.fetch_add(1, Ordering::SeqCst);
            if i == LARGE / PIECE - 1 {
                at_last.store(received.load(Ordering::SeqCst), Ordering::SeqCst);
            }
            Ok::<_, std::io::Error>(vec![0xa5_u8; PIECE as usize])
        }
    });
    let client = Client::new().with_base_url(base_url);
    client
        .upload_file("big.bin", streams_api::Body::wrap_stream(chunks))
        .await
        .unwrap();
    let (head, total, _) = server.await.unwrap();
    assert!(head.starts_with("PUT /files/big.bin HTTP/1.1"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/octet-stream"),
        "{head}"
    );
    assert_eq!(total, LARGE);
    assert_eq!(made.load(Ordering::SeqCst), LARGE / PIECE);
    let at_last = received_when_last_made.load(Ordering::SeqCst);
    assert!(
        at_last >= LARGE / 2,
        "when the last chunk was made the server had {at_last} of {LARGE} bytes: the body was gathered before it was sent"
    );
}

#[tokio::test]
async fn an_upload_can_come_from_a_file_or_from_memory() {
    let path = std::env::temp_dir().join(format!("streams-upload-{}.bin", std::process::id()));
    let size: u64 = 24 << 20;
    std::fs::write(&path, vec![0x11_u8; size as usize]).unwrap();
    let received = Arc::new(AtomicU64::new(0));
    let (base_url, server) = upload_server(received).await;
    let file = tokio::fs::File::open(&path).await.unwrap();
    Client::new()
        .with_base_url(base_url)
        .upload_file("from-disk.bin", file)
        .await
        .unwrap();
    let (_, total, _) = server.await.unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(total, size);

    // Bytes in memory, as before: a `Vec<u8>`.
    let server = TestServer::start(Response::empty(204)).await;
    client(&server)
        .upload_file("small.bin", b"hello".to_vec())
        .await
        .unwrap();
    assert_eq!(server.single_request().await.body, b"hello");
}

#[tokio::test]
async fn a_multipart_file_part_can_be_a_stream() {
    let (base_url, server) = upload_server(Arc::new(AtomicU64::new(0))).await;
    let body = streams_api::types::AddAttachmentBody {
        invoice_id: "inv-1".into(),
        file: Vec::new(),
    };
    let chunks = futures_util::stream::iter(["streamed ", "file ", "bytes"])
        .map(|s| Ok::<_, std::io::Error>(s.as_bytes().to_vec()));
    let part = streams_api::multipart::Part::stream(streams_api::Body::wrap_stream(chunks))
        .file_name("notes.txt");
    Client::new()
        .with_base_url(base_url)
        .add_attachment(&body)
        .file_part(part)
        .await
        .unwrap();
    let (head, _, kept) = server.await.unwrap();
    assert!(head.contains("multipart/form-data; boundary="), "{head}");
    let text = String::from_utf8(kept).unwrap();
    assert!(
        text.contains("name=\"invoice_id\"\r\n\r\ninv-1\r\n"),
        "{text}"
    );
    assert!(
        text.contains("name=\"file\"; filename=\"notes.txt\"\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\n\r\nstreamed file bytes\r\n"), "{text}");
}

#[tokio::test]
async fn the_status_and_headers_of_a_success_are_there_for_those_who_ask() {
    let server = TestServer::start(page(&["a"], None)).await;
    let response = client(&server)
        .list_invoices()
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    assert_eq!(ids(&response.body().items), ["a"]);
    let page = response.into_body();
    assert_eq!(page.items.len(), 1);
}
