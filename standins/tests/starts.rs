//! The stand-ins' process as the production smoke test uses it: started with a folder, it writes
//! its keys and the settings that point a production Plaza at it, says `ready`, and serves.
//! (Being an integration test also makes `cargo test --workspace` build the binary the smoke
//! test runs, with the features of the rest of the test build.)

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn writes_its_settings_and_says_ready() {
    let dir = std::env::temp_dir().join(format!("plaza-standins-test-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_plaza-standins"))
        .arg(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the stand-ins start");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let settings = std::fs::read_to_string(dir.join("standins.env")).unwrap_or_default();
    child.kill().ok();
    child.wait().ok();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(first.trim(), "ready");
    for name in ["PLAZA_TENCENT_", "PLAZA_WECHAT_"] {
        assert!(settings.contains(name), "{name}… missing from standins.env:\n{settings}");
    }
    assert!(settings.contains("PLAZA_WECHAT_PLATFORM_MODE=certificates"), "{settings}");
    // Every setting points at this machine: nothing reaches a real provider.
    for line in settings.lines().filter(|l| l.contains("://")) {
        assert!(line.contains("127.0.0.1") || line.contains("localhost"), "{line}");
    }
}
