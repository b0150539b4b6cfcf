//! The WebSocket sessions of `tests/fixtures/sessions-api` (Zoo's shapes)
//! against a WebSocket server on loopback (tokio-tungstenite's): the
//! handshake as the server sees it, typed messages both ways, binary
//! frames, unknown tags, frames that do not decode, closes both ways, a
//! refused handshake, pings, split halves, and the timeout that does not
//! apply to a session.

use futures_util::{SinkExt, StreamExt};
use sessions_api::Client;
use sessions_api::session::{Received, SessionError};
use sessions_api::types::{
    ModelingCmd, ModelingCmdMoveCamera, OkModelingCmdResponse, OkWebSocketResponseData,
    WebSocketRequest, WebSocketRequestModelingCmdReq, WebSocketResponse,
};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;

/// What the server saw of the handshake.
#[derive(Debug)]
struct Handshake {
    path: String,
    query: Option<String>,
    authorization: Option<String>,
}

/// A WebSocket server on loopback for one session: it records the
/// handshake and runs `script` on the accepted socket (or refuses the
/// upgrade with `refuse`).
struct Server {
    base_url: String,
    handshake: oneshot::Receiver<Handshake>,
    done: tokio::task::JoinHandle<()>,
}

type Script = Box<
    dyn FnOnce(WebSocketStream<TcpStream>) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>
        + Send,
>;

impl Server {
    async fn start(script: Script) -> Server {
        Self::start_with(None, script).await
    }

    async fn start_with(refuse: Option<(u16, &'static str)>, script: Script) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let (seen, handshake) = oneshot::channel();
        let done = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            // tungstenite's own callback type: its error is its response.
            #[allow(clippy::result_large_err)]
            let callback = move |request: &Request, response: Response| {
                let _ = seen.send(Handshake {
                    path: request.uri().path().to_owned(),
                    query: request.uri().query().map(str::to_owned),
                    authorization: request
                        .headers()
                        .get("authorization")
                        .map(|v| v.to_str().unwrap().to_owned()),
                });
                match refuse {
                    None => Ok(response),
                    Some((status, body)) => {
                        let mut refused = ErrorResponse::new(Some(body.to_owned()));
                        *refused.status_mut() = status.try_into().unwrap();
                        refused
                            .headers_mut()
                            .insert("content-type", "application/json".parse().unwrap());
                        refused
                            .headers_mut()
                            .insert("x-request-id", "req-9".parse().unwrap());
                        Err(refused)
                    }
                }
            };
            if let Ok(socket) = tokio_tungstenite::accept_hdr_async(stream, callback).await {
                script(socket).await;
            }
        });
        Server {
            base_url,
            handshake,
            done,
        }
    }
}

fn client(server: &Server) -> Client {
    Client::builder("session-token")
        .base_url(&server.base_url)
        .build()
        .unwrap()
}

fn script<F>(f: impl FnOnce(WebSocketStream<TcpStream>) -> F + Send + 'static) -> Script
where
    F: Future<Output = ()> + Send + 'static,
{
    Box::new(move |socket| Box::pin(f(socket)))
}

fn move_camera() -> WebSocketRequest {
    WebSocketRequest::ModelingCmdReq(WebSocketRequestModelingCmdReq {
        cmd: ModelingCmd::MoveCamera(ModelingCmdMoveCamera { x: 1.5 }),
        cmd_id: "7b0c7f2e-3c4f-4d55-9f1e-2a6c9e1d3b4a".parse().unwrap(),
    })
}

/// The next text frame the server reads, as JSON.
async fn next_json(socket: &mut WebSocketStream<TcpStream>) -> serde_json::Value {
    loop {
        match socket.next().await.unwrap().unwrap() {
            Message::Text(text) => return serde_json::from_str(text.as_str()).unwrap(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_handshake_carries_the_path_the_query_and_the_credentials() {
    let server = Server::start(script(|mut socket| async move {
        let _ = socket.close(None).await;
    }))
    .await;
    let session = client(&server)
        .modeling_commands_ws()
        .fps(30)
        .webrtc(false)
        .await
        .unwrap();
    drop(session);
    let seen = server.handshake.await.unwrap();
    assert_eq!(seen.path, "/ws/modeling/commands");
    assert_eq!(seen.query.as_deref(), Some("fps=30&webrtc=false"));
    assert_eq!(seen.authorization.as_deref(), Some("Bearer session-token"));

    // A path parameter is one segment, encoded.
    let server = Server::start(script(|mut socket| async move {
        let _ = socket.close(None).await;
    }))
    .await;
    let session = client(&server).reasoning_ws("conv 1/a").await.unwrap();
    drop(session);
    let seen = server.handshake.await.unwrap();
    assert_eq!(seen.path, "/ws/reasoning/conv%201%2Fa");
    assert_eq!(seen.query, None);
}

#[tokio::test]
async fn a_typed_request_goes_as_json_text_and_a_typed_answer_comes_back() {
    let server = Server::start(script(|mut socket| async move {
        let request = next_json(&mut socket).await;
        assert_eq!(request["type"], "modeling_cmd_req");
        assert_eq!(request["cmd"], serde_json::json!({"type": "move_camera", "x": 1.5}));
        let answer = serde_json::json!({
            "success": true,
            "request_id": request["cmd_id"],
            "resp": {"type": "modeling", "data": {"modeling_response": {"type": "camera_position", "data": {"x": 2.0}}}}
        });
        socket.send(Message::text(answer.to_string())).await.unwrap();
        let _ = socket.close(None).await;
    }))
    .await;
    let mut session = client(&server).modeling_commands_ws().await.unwrap();
    session.send(&move_camera()).await.unwrap();
    let Some(Ok(Received::Message(WebSocketResponse::Variant0(success)))) = session.receive().await
    else {
        panic!("expected a success");
    };
    assert_eq!(
        success.request_id.map(|id| id.to_string()).as_deref(),
        Some("7b0c7f2e-3c4f-4d55-9f1e-2a6c9e1d3b4a")
    );
    let OkWebSocketResponseData::Modeling(modeling) = success.resp else {
        panic!("expected a modeling answer, got {:?}", success.resp);
    };
    assert!(matches!(
        modeling.data.modeling_response,
        OkModelingCmdResponse::CameraPosition(ref p) if p.data.x == 2.0
    ));
    server.done.await.unwrap();
}

#[tokio::test]
async fn binary_frames_unknown_tags_and_frames_that_do_not_decode_reach_the_caller() {
    let server = Server::start(script(|mut socket| async move {
        socket
            .send(Message::binary(vec![0x16, 0, 0, 0, 1]))
            .await
            .unwrap();
        socket
            .send(Message::text(
                r#"{"success":true,"resp":{"type":"brand_new","data":{"n":1}}}"#,
            ))
            .await
            .unwrap();
        socket
            .send(Message::text(
                r#"{"success":true,"resp":{"type":"modeling","data":{}}}"#,
            ))
            .await
            .unwrap();
        socket
            .send(Message::text(r#"{"success":true,"resp":{"type":"pong"}}"#))
            .await
            .unwrap();
        let _ = socket.close(None).await;
    }))
    .await;
    let mut session = client(&server).modeling_commands_ws().await.unwrap();
    assert_eq!(
        session.receive().await.unwrap().unwrap(),
        Received::Binary(vec![0x16, 0, 0, 0, 1])
    );
    let Received::Message(WebSocketResponse::Variant0(unknown)) =
        session.receive().await.unwrap().unwrap()
    else {
        panic!("expected a success");
    };
    let OkWebSocketResponseData::Unknown(kept) = unknown.resp else {
        panic!("expected the unknown tag kept, got {:?}", unknown.resp);
    };
    assert_eq!(kept["type"], "brand_new");
    assert_eq!(kept["data"]["n"], 1);
    // A frame that does not decode is an error that keeps the text ...
    match session.receive().await.unwrap() {
        Err(SessionError::Decode { text, source }) => {
            assert!(text.contains("\"modeling\""), "{text}");
            assert!(!source.to_string().is_empty());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // ... and the session goes on.
    assert!(matches!(
        session.receive().await.unwrap().unwrap(),
        Received::Message(WebSocketResponse::Variant0(ref s)) if s.resp == OkWebSocketResponseData::Pong
    ));
}

#[tokio::test]
async fn the_servers_close_is_surfaced_with_its_code_and_reason_and_then_the_end() {
    let server = Server::start(script(|mut socket| async move {
        socket
            .close(Some(CloseFrame {
                code: 4000.into(),
                reason: "engine shut down".into(),
            }))
            .await
            .unwrap();
        // The client answers the close.
        while socket.next().await.is_some() {}
    }))
    .await;
    let mut session = client(&server).modeling_commands_ws().await.unwrap();
    assert_eq!(
        session.receive().await.unwrap().unwrap(),
        Received::Closed {
            code: 4000,
            reason: "engine shut down".into()
        }
    );
    assert!(session.receive().await.is_none());
    server.done.await.unwrap();
}

#[tokio::test]
async fn the_client_closes_with_a_code_and_a_reason_and_answers_pings() {
    let (got, closed) = oneshot::channel();
    let server = Server::start(script(|mut socket| async move {
        socket
            .send(Message::Ping(b"are you there".to_vec().into()))
            .await
            .unwrap();
        let mut pong = None;
        let mut close = None;
        while let Some(Ok(message)) = socket.next().await {
            match message {
                Message::Pong(payload) => pong = Some(payload.to_vec()),
                Message::Close(frame) => {
                    close = frame.map(|f| (u16::from(f.code), f.reason.to_string()))
                }
                _ => {}
            }
        }
        let _ = got.send((pong, close));
    }))
    .await;
    let mut session = client(&server).modeling_commands_ws().await.unwrap();
    // Reading lets the session answer the ping; nothing else comes.
    let read = tokio::time::timeout(Duration::from_millis(300), session.receive()).await;
    assert!(read.is_err(), "a ping is answered, not given: {read:?}");
    session.close(1000, "done").await.unwrap();
    let (pong, close) = closed.await.unwrap();
    assert_eq!(pong.as_deref(), Some(&b"are you there"[..]));
    assert_eq!(close, Some((1000, "done".to_owned())));
}

#[tokio::test]
async fn a_refused_handshake_is_an_error_with_the_status_the_headers_and_the_body() {
    let body = r#"{"error_code":"unauthorized","message":"no such token","request_id":"req-9"}"#;
    // Undocumented errors: any JSON value.
    let server = Server::start_with(Some((401, body)), script(|_| async {})).await;
    let error = client(&server).modeling_commands_ws().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.headers().unwrap()["x-request-id"], "req-9");
    match &error {
        sessions_api::Error::Api { body, .. } => assert_eq!(body["message"], "no such token"),
        other => panic!("expected the error body, got {other:?}"),
    }
    // Documented ones: the API's error type.
    let server = Server::start_with(Some((403, body)), script(|_| async {})).await;
    let error = client(&server).reasoning_ws("c1").await.unwrap_err();
    match &error {
        sessions_api::Error::Api { body, .. } => assert_eq!(body.message, "no such token"),
        other => panic!("expected the error body, got {other:?}"),
    }
    // The token is nowhere in what the error shows.
    assert!(!format!("{error:?} {error}").contains("session-token"));
}

#[tokio::test]
async fn a_split_session_reads_and_writes_from_two_tasks_at_once() {
    const COUNT: usize = 50;
    let server = Server::start(script(|mut socket| async move {
        // Every ping gets a pong, until the client closes.
        while let Some(Ok(message)) = socket.next().await {
            if let Message::Text(text) = message {
                let request: serde_json::Value = serde_json::from_str(text.as_str()).unwrap();
                assert_eq!(request["type"], "ping");
                socket
                    .send(Message::text(r#"{"success":true,"resp":{"type":"pong"}}"#))
                    .await
                    .unwrap();
            }
        }
    }))
    .await;
    let session = client(&server).modeling_commands_ws().await.unwrap();
    let (mut sender, mut receiver) = session.split();
    let writer = tokio::spawn(async move {
        for _ in 0..COUNT {
            // The `futures` sink, by value.
            SinkExt::send(&mut sender, WebSocketRequest::Ping)
                .await
                .unwrap();
        }
        sender
    });
    let reader = tokio::spawn(async move {
        let mut pongs = 0;
        while pongs < COUNT {
            match receiver.next().await.unwrap().unwrap() {
                Received::Message(WebSocketResponse::Variant0(s))
                    if s.resp == OkWebSocketResponseData::Pong =>
                {
                    pongs += 1
                }
                other => panic!("expected a pong, got {other:?}"),
            }
        }
        receiver
    });
    let sender = writer.await.unwrap();
    let mut receiver = reader.await.unwrap();
    sender.close(1000, "").await.unwrap();
    assert!(matches!(
        receiver.receive().await,
        Some(Ok(Received::Closed { code: 1000, .. }))
    ));
    assert!(receiver.receive().await.is_none());
}

#[tokio::test]
async fn the_request_timeout_does_not_end_a_session() {
    let server = Server::start(script(|mut socket| async move {
        tokio::time::sleep(Duration::from_millis(600)).await;
        socket
            .send(Message::text(r#"{"success":true,"resp":{"type":"pong"}}"#))
            .await
            .unwrap();
        let _ = socket.close(None).await;
    }))
    .await;
    let client = Client::builder("session-token")
        .base_url(&server.base_url)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let mut session = client.modeling_commands_ws().await.unwrap();
    assert!(matches!(
        session.receive().await,
        Some(Ok(Received::Message(WebSocketResponse::Variant0(_))))
    ));
}

#[tokio::test]
async fn an_untyped_session_sends_and_receives_raw_text() {
    let server = Server::start(script(|mut socket| async move {
        let Some(Ok(Message::Text(text))) = socket.next().await else {
            panic!("expected text");
        };
        assert_eq!(text.as_str(), "ls -l\n");
        socket.send(Message::text("total 0\n")).await.unwrap();
        let _ = socket.close(None).await;
    }))
    .await;
    let mut terminal = client(&server).create_executor_term().await.unwrap();
    terminal.send(&"ls -l\n".to_owned()).await.unwrap();
    assert_eq!(
        terminal.receive().await.unwrap().unwrap(),
        Received::Message("total 0\n".to_owned())
    );
}

mod tracing_span {
    use super::*;
    use std::fmt::Write as _;
    use std::sync::{Arc, Mutex};
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// Writes down every span and event, with their fields.
    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<String>>);

    struct Fields<'a>(&'a mut String);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut text = self.0.lock().unwrap();
            let _ = write!(text, "\nspan {}:", span.metadata().name());
            span.record(&mut Fields(&mut text));
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            let mut text = self.0.lock().unwrap();
            text.push_str("\nrecord:");
            values.record(&mut Fields(&mut text));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut text = self.0.lock().unwrap();
            let _ = write!(text, "\nevent {}:", event.metadata().target());
            event.record(&mut Fields(&mut text));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    #[tokio::test(flavor = "current_thread")]
    async fn one_span_per_session_and_no_credential_in_it() {
        // Every callsite is decided of interest, whichever thread meets it
        // first (see production.rs).
        let _ = tracing::subscriber::set_global_default(Capture::default());
        let capture = Capture::default();
        let _default = tracing::subscriber::set_default(capture.clone());
        let server = Server::start(script(|mut socket| async move {
            socket
                .close(Some(CloseFrame {
                    code: 4001.into(),
                    reason: "bye".into(),
                }))
                .await
                .unwrap();
            while socket.next().await.is_some() {}
        }))
        .await;
        let mut session = client(&server)
            .reasoning_ws("conversation-secret-7")
            .await
            .unwrap();
        while session.receive().await.is_some() {}
        let text = capture.0.lock().unwrap().clone();
        let spans: Vec<&str> = text.lines().filter(|l| l.starts_with("span ")).collect();
        assert_eq!(
            spans,
            [
                r#"span session: operation="reasoning_ws" path="/ws/reasoning/{conversation_id}""#,
                r#"span request: operation="reasoning_ws" method="GET" path="/ws/reasoning/{conversation_id}""#,
            ],
            "{text}"
        );
        assert!(text.contains("status=101"), "{text}");
        assert!(text.contains("code=4001"), "the server's close: {text}");
        for secret in ["session-token", "conversation-secret-7"] {
            assert!(!text.contains(secret), "{secret} in the trace:\n{text}");
        }
    }
}
