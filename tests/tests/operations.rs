//! The client of `tests/fixtures/operations-api` against a real HTTP server
//! on loopback: every kind of request body and response the generator
//! supports, as the server sees and sends them.

use codegen_tests::{Response, TestServer};
use operations_api::Client;
use operations_api::types::{
    Form, GetThingResponse, OtherThing, PutThingResponse, Thing, UploadFileBody,
};

fn client(server: &TestServer) -> Client {
    Client::new().with_base_url(server.base_url())
}

fn bytes(status: u16, content_type: &str, body: &[u8]) -> Response {
    Response {
        status,
        content_type: Some(content_type.to_owned()),
        body: body.to_vec(),
        headers: Vec::new(),
        delay: std::time::Duration::ZERO,
    }
}

#[tokio::test]
async fn query_arrays_are_repeated_or_joined_and_headers_are_sent() {
    let server = TestServer::start(Response::json(200, "[]")).await;
    let things = client(&server)
        .list_things("req-1")
        .tag(&["a b".to_owned(), "c".to_owned()])
        .ids(&[1, 2, 3])
        .x_trace(true)
        .await
        .unwrap();
    assert!(things.is_empty());
    let request = server.single_request().await;
    // `tag` explodes (one pair per item); `ids` has `explode: false`.
    assert_eq!(request.query(), Some("tag=a+b&tag=c&ids=1%2C2%2C3"));
    assert_eq!(request.header("x-request-id"), Some("req-1"));
    assert_eq!(request.header("x-trace"), Some("true"));
}

#[tokio::test]
async fn successes_of_different_shapes_are_told_apart_by_status() {
    let server = TestServer::start(vec![
        Response::json(200, r#"{"id": "t1"}"#),
        Response::json(201, r#"{"location": "/things/t1"}"#),
        Response::empty(202),
        Response::json(203, r#"{"id": "t1"}"#),
    ])
    .await;
    let client = client(&server);
    let thing = Thing {
        id: "t1".into(),
        name: None,
    };
    assert_eq!(
        client.put_thing("t1", &thing).await.unwrap(),
        PutThingResponse::Ok(thing.clone())
    );
    assert_eq!(
        client.put_thing("t1", &thing).await.unwrap(),
        PutThingResponse::Created(OtherThing {
            location: "/things/t1".into()
        })
    );
    assert_eq!(
        client.put_thing("t1", &thing).await.unwrap(),
        PutThingResponse::Accepted
    );
    // Of `application/*+json`, `application/json` and `text/json`, the body
    // goes as the plain JSON type: a range is no media type.
    let requests = server.requests().await;
    assert!(
        requests
            .iter()
            .all(|r| r.header("content-type") == Some("application/json")),
        "{requests:?}"
    );
    // A success the API does not document is an error that keeps the body.
    let error = client.put_thing("t1", &thing).await.unwrap_err();
    assert!(
        matches!(&error, operations_api::Error::UnexpectedStatus { response }
            if response.status().as_u16() == 203 && response.text().contains("t1")),
        "{error:?}"
    );
}

#[tokio::test]
async fn no_content_is_a_variant_too() {
    let server = TestServer::start(Response::empty(204)).await;
    let response = client(&server).get_thing("t 1").await.unwrap();
    assert_eq!(response, GetThingResponse::NoContent);
    assert_eq!(server.single_request().await.path(), "/things/t%201");
}

#[tokio::test]
async fn form_bodies_are_urlencoded() {
    let server = TestServer::start(Response::empty(204)).await;
    let form = Form {
        name: "a&b c".into(),
        count: Some(2),
        subscribe: None,
    };
    client(&server).submit_form(&form).await.unwrap();
    let request = server.single_request().await;
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // Fields are in the order of their names, as the generated struct has them.
    assert_eq!(request.body_text(), "count=2&name=a%26b+c");
}

#[tokio::test]
async fn multipart_bodies_send_a_part_per_field_and_files_as_bytes() {
    let server = TestServer::start(Response::json(201, r#"{"location": "/f"}"#)).await;
    let body = UploadFileBody {
        title: Some("report".into()),
        file: vec![0, 159, 146, 150, 255],
        labels: Some([("kind".to_owned(), "q3".to_owned())].into()),
    };
    let created = client(&server).upload_file(&body).await.unwrap();
    assert_eq!(created.location, "/f");
    let request = server.single_request().await;
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect(content_type);
    let body = &request.body;
    let text = String::from_utf8_lossy(body);
    assert!(text.contains(&format!("--{boundary}")));
    assert!(text.contains("Content-Disposition: form-data; name=\"title\"\r\n\r\nreport\r\n"));
    // A file part is labelled with its media type (RFC 7578, section 4.4);
    // a server that reads parts by their type (Prism's parser among them)
    // cannot read one without it.
    assert!(
        text.contains(
            "Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\ncontent-type: application/octet-stream\r\n\r\n"
        ),
        "{text}"
    );
    // An object is a JSON part, labelled so (OpenAPI's default
    // `contentType` of an encoding).
    assert!(
        text.contains(
            "Content-Disposition: form-data; name=\"labels\"\r\ncontent-type: application/json\r\n\r\n{\"kind\":\"q3\"}\r\n"
        ),
        "{text}"
    );
    // The file's bytes arrive untouched (they are not UTF-8).
    assert!(body.windows(5).any(|w| w == [0, 159, 146, 150, 255]));
}

#[tokio::test]
async fn byte_and_text_bodies_carry_their_media_types() {
    let server = TestServer::start(vec![
        Response::empty(204),
        Response::text(200, "noted: héllo"),
        Response::empty(204),
    ])
    .await;
    let client = client(&server);
    client.put_blob("b", vec![1, 2, 255]).await.unwrap();
    let reply = client.post_note("héllo").await.unwrap();
    assert_eq!(reply, "noted: héllo");
    client.post_anything(b"raw".to_vec()).await.unwrap();
    let requests = server.requests().await;
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(requests[0].body, vec![1, 2, 255]);
    assert_eq!(requests[1].header("content-type"), Some("text/plain"));
    assert_eq!(requests[1].body_text(), "héllo");
    // `*/*` is sent as bytes.
    assert_eq!(
        requests[2].header("content-type"),
        Some("application/octet-stream")
    );
}

#[tokio::test]
async fn binary_responses_are_bytes() {
    let server = TestServer::start(bytes(200, "application/octet-stream", &[0, 1, 254, 255])).await;
    let blob = client(&server).get_blob("b").await.unwrap();
    assert_eq!(blob, vec![0, 1, 254, 255]);
}

#[tokio::test]
async fn errors_of_binary_operations_still_decode() {
    let server = TestServer::start(Response::json(404, r#"{"detail": "no blob"}"#)).await;
    let error = client(&server).get_blob("b").await.unwrap_err();
    match error {
        operations_api::Error::Api { body, response } => {
            assert_eq!(response.status().as_u16(), 404);
            assert_eq!(body.detail, "no blob");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_default_only_response_is_the_success_and_the_error() {
    let server = TestServer::start(vec![
        Response::json(200, r#"{"ok": true}"#),
        Response::json(503, r#"{"ok": false}"#),
    ])
    .await;
    let client = client(&server);
    assert!(client.get_status().await.unwrap().ok);
    match client.get_status().await.unwrap_err() {
        operations_api::Error::Api { body, response } => {
            assert_eq!(response.status().as_u16(), 503);
            assert!(!body.ok);
        }
        other => panic!("{other:?}"),
    }
}

mod query {
    //! `tests/fixtures/query-api`: query parameters of object type in each
    //! style, and delimited arrays of enums.

    use codegen_tests::{Response, TestServer};
    use query_api::Client;
    use query_api::types::{Filter, Point, Status};
    use std::collections::BTreeMap;

    fn client(server: &TestServer) -> Client {
        Client::new().with_base_url(server.base_url())
    }

    #[tokio::test]
    async fn objects_are_sent_in_their_style() {
        let server = TestServer::start(Response::empty(204)).await;
        let filter = Filter {
            limit: Some(10),
            status: Some(Status::Open),
            // `None` fields are left out.
            since: None,
        };
        let labels = BTreeMap::from([
            ("team".to_owned(), "core one".to_owned()),
            ("tier".to_owned(), "1".to_owned()),
        ]);
        let point = Point { x: 1.5, y: -2.0 };
        let weights = BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]);
        let order = BTreeMap::from([("name".to_owned(), Status::Closed)]);
        client(&server)
            .search()
            .filter(&filter)
            .labels(&labels)
            .point(&point)
            .weights(&weights)
            .order(&order)
            .statuses(&[Status::Open, Status::Unknown("on hold".to_owned())])
            .kinds(&[Status::Open, Status::Closed])
            .await
            .unwrap();
        let request = server.single_request().await;
        assert_eq!(
            request.query(),
            Some(
                "filter%5Blimit%5D=10&filter%5Bstatus%5D=open\
                 &team=core+one&tier=1\
                 &point=x%2C1.5%2Cy%2C-2.0\
                 &weights=a%2C1%2Cb%2C2\
                 &order%5Bname%5D=closed\
                 &statuses=open%7Con+hold\
                 &kinds=open%2Cclosed"
            )
        );
    }

    #[tokio::test]
    async fn empty_and_absent_objects_send_nothing() {
        let server = TestServer::start(Response::empty(204)).await;
        let client = client(&server);
        client.search().await.unwrap();
        // An empty object joined into one value is not sent at all.
        client
            .search()
            .filter(&Filter::default())
            .labels(&BTreeMap::new())
            .weights(&BTreeMap::new())
            .await
            .unwrap();
        let requests = server.requests().await;
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].query(), None);
        assert_eq!(requests[1].query(), None);
    }

    #[tokio::test]
    async fn a_required_object_is_exploded_beside_scalars() {
        let server = TestServer::start(Response::empty(204)).await;
        let filter = Filter {
            limit: None,
            status: Some(Status::Closed),
            since: Some("2025-01-02T03:04:05Z".parse().unwrap()),
        };
        client(&server)
            .search_required("a&b", &filter)
            .await
            .unwrap();
        let request = server.single_request().await;
        assert_eq!(
            request.query(),
            Some("q=a%26b&since=2025-01-02T03%3A04%3A05Z&status=closed")
        );
    }
}

#[tokio::test]
async fn multipart_bodies_without_described_parts_take_the_callers_form() {
    use realworld_api::multipart::{Form, Part};
    let server = TestServer::start(Response::empty(204)).await;
    let client = realworld_api::Client::new().with_base_url(server.base_url());
    let file = Part::bytes(vec![0, 159, 255]).file_name("model.obj");
    client
        .upload_file(Form::new().part("file", file).text("note", "first"))
        .await
        .unwrap();
    let request = server.single_request().await;
    assert_eq!(request.path(), "/uploads");
    let content_type = request.header("content-type").unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let text = String::from_utf8_lossy(&request.body);
    assert!(text.contains("Content-Disposition: form-data; name=\"file\"; filename=\"model.obj\""));
    assert!(text.contains("Content-Disposition: form-data; name=\"note\"\r\n\r\nfirst\r\n"));
    assert!(request.body.windows(3).any(|w| w == [0, 159, 255]));
}

#[tokio::test]
async fn a_parameter_and_a_response_shared_by_pointing_into_paths_are_followed() {
    let server = TestServer::start(Response::json(404, r#"{"message": "no such design"}"#)).await;
    let client = realworld_api::Client::new().with_base_url(server.base_url());
    match client.copy_design("a/b").await {
        Err(realworld_api::Error::Api { body, response }) => {
            assert_eq!(response.status().as_u16(), 404);
            assert_eq!(body.message, "no such design");
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }
    assert_eq!(server.single_request().await.path(), "/designs/a%2Fb/copy");
}

#[tokio::test]
async fn a_list_in_the_path_is_its_items_encoded_and_joined_by_commas() {
    use realworld_api::types::GetLayersLayersItem as Layer;
    let server = TestServer::start(Response::empty(204)).await;
    let client = realworld_api::Client::new().with_base_url(server.base_url());
    client
        .get_layers("d 1", &[Layer::Top, Layer::InnerLayer])
        .await
        .unwrap();
    assert_eq!(
        server.single_request().await.path(),
        "/designs/d%201/layers/top,inner%20layer"
    );
}

#[tokio::test]
async fn cookie_parameters_go_in_one_cookie_header() {
    let server = TestServer::start(Response::empty(200)).await;
    let client = degrade_api::Client::new().with_base_url(server.base_url());
    client.list_sessions("abc123").await.unwrap();
    client
        .list_sessions("a b;c")
        .theme("dark \"blue\"")
        .await
        .unwrap();
    let requests = server.requests().await;
    assert_eq!(requests[0].header("cookie"), Some("session=abc123"));
    // What a cookie value cannot hold is percent-encoded.
    assert_eq!(
        requests[1].header("cookie"),
        Some("session=a%20b%3Bc; theme=dark%20%22blue%22")
    );
}

/// A client that reads a redirect rather than following it, as a caller
/// that wants `Location` configures it.
fn not_following(server: &TestServer) -> Client {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Client::builder()
        .base_url(server.base_url())
        .http_client(http)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_documented_redirect_is_the_answer_of_an_operation_that_documents_no_2xx() {
    let mut found = Response::empty(302);
    found
        .headers
        .push(("location".into(), "https://example.com/target".into()));
    let server =
        TestServer::start(vec![found, Response::json(404, r#"{"detail":"no link"}"#)]).await;
    let client = not_following(&server);
    let response = client
        .follow_link("k 1")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "https://example.com/target");
    // Its errors are errors still.
    let error = client.follow_link("gone").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(
        matches!(&error, operations_api::Error::Api { body, .. } if body.detail == "no link"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_documented_redirect_with_a_body_decodes_it() {
    let server = TestServer::start(vec![
        Response::json(303, r#"{"id": "s1"}"#),
        Response::json(303, r#"{"name": "no id"}"#),
    ])
    .await;
    let client = not_following(&server);
    let thing = client.start_session().await.unwrap();
    assert_eq!(thing.id, "s1");
    // A body that is not the documented one is an invalid response, not
    // an error status.
    let error = client.start_session().await.unwrap_err();
    assert!(
        matches!(error, operations_api::Error::InvalidResponse { .. }),
        "{error:?}"
    );
}
