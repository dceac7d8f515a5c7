//! Every route of the workbench, in process (no port): status codes, bad bodies, paths
//! outside the served folder, a stance edit that moves the forecast, and saving.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use akkoord_web::{BODY_LIMIT, ServedFolder, router};

/// A fresh folder holding a copy of the NATO 2023 example, an issues-only scenario and an
/// invalid one.
fn folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("akkoord-web-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp folder");
    let example = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../akkoord-cli/tests/fixtures/nato-2023-11-28.toml");
    std::fs::copy(example, dir.join("nato-2023.toml")).expect("example copied");
    std::fs::write(
        dir.join("broken.toml"),
        "format = 1\n[scenario]\ntitle = 3\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("issues.toml"),
        "format = 1\n[scenario]\ntitle = \"Only issues\"\n\n[[actors]]\nid = \"A\"\ncapability = 1\n\n[[actors]]\nid = \"B\"\ncapability = 1\n\n[[issues]]\nid = \"tax\"\nscale = { lower = 0, upper = 100 }\n\n[[issues.positions]]\nactor = \"A\"\nposition = 10\nsalience = 0.5\n\n[[issues.positions]]\nactor = \"B\"\nposition = 90\nsalience = 0.5\n",
    )
    .expect("write");
    dir
}

async fn call(dir: &Path, method: &str, uri: &str, body: Body) -> (StatusCode, String) {
    let app = router(ServedFolder::new(dir).expect("served"));
    call_app(app, method, uri, body).await
}

async fn call_app(app: axum::Router, method: &str, uri: &str, body: Body) -> (StatusCode, String) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(body)
        .expect("request");
    let response = app.oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:.300}"))
}

fn probability(reply: &serde_json::Value, id: &str) -> f64 {
    reply["forecast"]["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .find(|o| o["id"] == id)
        .and_then(|o| o["probability"].as_f64())
        .expect("outcome")
}

const HUNGARY_WARMS_TO_RUTTE: &str = r#"{"actor":"HUN","candidate":"rutte","support":90,"sd":5}"#;

#[tokio::test]
async fn the_list_shows_each_file_with_its_status() {
    let dir = folder("list");
    let (status, page) = call(&dir, "GET", "/", Body::empty()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    for name in ["nato-2023.toml", "broken.toml", "issues.toml"] {
        assert!(page.contains(&format!("href=\"/s/{name}\"")), "{name}");
    }
    assert!(page.contains("Mark Rutte"), "headline of the example");
    assert!(
        page.contains("class=\"invalid\""),
        "the broken file is marked"
    );
}

#[tokio::test]
async fn a_stance_edit_moves_the_forecast_and_reports_the_change() {
    let dir = folder("stance");
    let app = router(ServedFolder::new(&dir).expect("served"));
    let (status, before) = call_app(
        app.clone(),
        "GET",
        "/api/forecast/nato-2023.toml",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{before:.300}");
    let before = json(&before);
    assert_eq!(before["estimate"], "full");
    assert_eq!(before["forecast"]["runs"], 20_000);
    let (status, after) = call_app(
        app.clone(),
        "POST",
        "/api/stance/nato-2023.toml",
        Body::from(HUNGARY_WARMS_TO_RUTTE),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{after:.300}");
    let after = json(&after);
    assert_eq!(after["estimate"], "quick");
    assert_eq!(after["forecast"]["runs"], 2000);
    let (rutte_before, rutte_after) = (probability(&before, "rutte"), probability(&after, "rutte"));
    assert!(
        rutte_after > rutte_before + 0.02,
        "Hungary's consent raises Rutte's chance: {rutte_before} -> {rutte_after}"
    );
    let change = after["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["id"] == "rutte")
        .expect("rutte's change");
    assert_eq!(change["before"].as_f64(), Some(rutte_before));
    assert_eq!(change["after"].as_f64(), Some(rutte_after));
    assert!(after["chart"].as_str().expect("chart").starts_with("<svg"));
    // The file is untouched until saved.
    let on_disk = std::fs::read_to_string(dir.join("nato-2023.toml")).expect("read");
    assert!(on_disk.contains("actor = \"HUN\"\ncandidate = \"rutte\"\nsupport = 20\n"));
}

#[tokio::test]
async fn bad_stance_bodies_get_a_4xx_with_a_message() {
    let dir = folder("bad-bodies");
    for (body, expected) in [
        ("not json", StatusCode::BAD_REQUEST),
        (r#"{"actor":"HUN"}"#, StatusCode::BAD_REQUEST),
        (
            r#"{"actor":"HUN","candidate":"rutte","support":"high"}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"actor":"HUN","candidate":"rutte","colour":1}"#,
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (status, text) =
            call(&dir, "POST", "/api/stance/nato-2023.toml", Body::from(body)).await;
        assert_eq!(status, expected, "{body}: {text}");
        assert!(!json(&text)["error"].as_str().expect("message").is_empty());
    }
    // Out of range: the loader's located problem, as `akkoord check` words it.
    let (status, text) = call(
        &dir,
        "POST",
        "/api/stance/nato-2023.toml",
        Body::from(r#"{"actor":"HUN","candidate":"rutte","support":150}"#),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    let reply = json(&text);
    let problem = &reply["problems"][0];
    assert!(
        problem["message"]
            .as_str()
            .expect("message")
            .contains("support"),
        "{text}"
    );
    assert!(problem["line"].as_u64().is_some(), "located: {text}");
    // Unknown actor: refused by validation too.
    let (status, text) = call(
        &dir,
        "POST",
        "/api/stance/nato-2023.toml",
        Body::from(r#"{"actor":"XXX","candidate":"rutte","support":50}"#),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
}

#[tokio::test]
async fn a_body_over_16_mib_is_refused() {
    let dir = folder("big");
    let big = vec![b' '; BODY_LIMIT + 1];
    let (status, _) = call(&dir, "POST", "/api/stance/nato-2023.toml", Body::from(big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn paths_outside_the_folder_are_refused() {
    let dir = folder("traversal");
    std::fs::write(dir.with_extension("secret.toml"), "secret").expect("write");
    for uri in [
        "/s/..%2Fsecret.toml",
        "/s/%2Fetc%2Fpasswd",
        "/s//etc/passwd",
        "/api/forecast/..%2F..%2Fetc%2Fpasswd",
        "/download/%2E%2E%2Fx.toml?format=json",
    ] {
        let (status, text) = call(&dir, "GET", uri, Body::empty()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}: {text}");
        assert!(text.contains("outside the served folder"), "{uri}: {text}");
    }
    let (status, _) = call(&dir, "POST", "/api/save/..%2Fsecret.toml", Body::empty()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&dir, "GET", "/s/missing.toml", Body::empty()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_workbench_page_shows_the_brief_and_the_grid() {
    let dir = folder("page");
    let (status, page) = call(&dir, "GET", "/s/nato-2023.toml", Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<svg"), "the chart");
    assert!(page.contains("data-actor=\"HUN\" data-candidate=\"rutte\" data-support=\"20\""));
    assert!(page.contains("<h2>Holdouts</h2>") && page.contains("<h2>Levers</h2>"));
    assert!(page.contains("src=\"/assets/app.js\""));
    assert!(
        !page.contains("src=\"http") && !page.contains("href=\"http"),
        "nothing from the network"
    );
}

#[tokio::test]
async fn an_issues_only_or_invalid_scenario_gets_a_clear_page() {
    let dir = folder("odd-pages");
    let (status, page) = call(&dir, "GET", "/s/issues.toml", Body::empty()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("no appointment"), "{page}");
    let (status, page) = call(&dir, "GET", "/s/broken.toml", Body::empty()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("line 3, column"), "{page}");
    let (status, text) = call(
        &dir,
        "POST",
        "/api/stance/issues.toml",
        Body::from(HUNGARY_WARMS_TO_RUTTE),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
}

#[tokio::test]
async fn saving_keeps_comments_and_refuses_a_file_changed_on_disk() {
    let dir = folder("save");
    let file = dir.join("nato-2023.toml");
    let original = std::fs::read_to_string(&file).expect("read");
    let app = router(ServedFolder::new(&dir).expect("served"));
    let (status, _) = call_app(
        app.clone(),
        "POST",
        "/api/stance/nato-2023.toml",
        Body::from(HUNGARY_WARMS_TO_RUTTE),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, text) = call_app(
        app.clone(),
        "POST",
        "/api/save/nato-2023.toml",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let saved = std::fs::read_to_string(&file).expect("read");
    assert_eq!(
        saved,
        original.replace(
            "actor = \"HUN\"\ncandidate = \"rutte\"\nsupport = 20\nsalience = 0.8\nsd = 15\n",
            "actor = \"HUN\"\ncandidate = \"rutte\"\nsupport = 90\nsalience = 0.8\nsd = 5\n"
        ),
        "only the edited numbers change; every comment stays"
    );
    assert_ne!(saved, original);
    // Someone else edits the file: the next save is refused and writes nothing.
    let theirs = format!("{saved}# edited elsewhere\n");
    std::fs::write(&file, &theirs).expect("write");
    let (status, _) = call_app(
        app.clone(),
        "POST",
        "/api/stance/nato-2023.toml",
        Body::from(r#"{"actor":"HUN","candidate":"rutte","support":30}"#),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, text) = call_app(
        app.clone(),
        "POST",
        "/api/save/nato-2023.toml",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    assert!(text.contains("changed on disk"), "{text}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), theirs);
    assert!(!dir.join("nato-2023.toml.akkoord-saving").exists());
}

#[tokio::test]
async fn downloads_give_the_report_and_the_forecast_files() {
    let dir = folder("downloads");
    let (status, html) = call(
        &dir,
        "GET",
        "/download/nato-2023.toml?format=html",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.starts_with("<!doctype html>") || html.starts_with("<!DOCTYPE html>"),
        "{html:.100}"
    );
    let (status, text) = call(
        &dir,
        "GET",
        "/download/nato-2023.toml?format=json",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&text)["runs"], 20_000);
    let (status, csv) = call(
        &dir,
        "GET",
        "/download/nato-2023.toml?format=csv",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.lines().count() > 3, "{csv}");
    let (status, text) = call(
        &dir,
        "GET",
        "/download/nato-2023.toml?format=pdf",
        Body::empty(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("expected html, json or csv"));
    let (status, _) = call(&dir, "GET", "/download/nato-2023.toml", Body::empty()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn assets_are_served_by_the_binary() {
    let dir = folder("assets");
    let (status, script) = call(&dir, "GET", "/assets/app.js", Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(script.contains("/api/stance/"));
    let (status, style) = call(&dir, "GET", "/assets/app.css", Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(style.contains("#grid"));
}
