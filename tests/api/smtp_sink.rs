//! A small SMTP responder on 127.0.0.1 (port 0) for the email tests: it records every message
//! it accepts, and can be "down" (answering `421` on connect) to show retries.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One accepted message: its envelope and its data (headers and body, as sent).
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Clone)]
pub struct Sink {
    pub port: u16,
    up: Arc<AtomicBool>,
    received: Arc<Mutex<Vec<Received>>>,
    task: Arc<tokio::task::JoinHandle<()>>,
}

impl Sink {
    pub async fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
        let port = listener.local_addr().expect("sink addr").port();
        let up = Arc::new(AtomicBool::new(true));
        let received = Arc::new(Mutex::new(Vec::new()));
        let (u, r) = (up.clone(), received.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (u, r) = (u.clone(), r.clone());
                tokio::spawn(async move {
                    let _ = session(stream, u.load(Ordering::SeqCst), r).await;
                });
            }
        });
        Sink {
            port,
            up,
            received,
            task: Arc::new(task),
        }
    }

    /// Answers `421` to every new connection while down.
    pub fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("sink lock").clone()
    }

    pub fn stop(&self) {
        self.task.abort();
    }
}

async fn session(
    stream: tokio::net::TcpStream,
    up: bool,
    received: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    if !up {
        write.write_all(b"421 sink down for the test\r\n").await?;
        return write.shutdown().await;
    }
    write.write_all(b"220 sink ESMTP ready\r\n").await?;
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_owned();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            write.write_all(b"250-sink\r\n250 8BITMIME\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            from = cmd[10..].trim().to_owned();
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            to.push(cmd[8..].trim().to_owned());
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            received.lock().expect("sink lock").push(Received {
                from: from.clone(),
                to: to.clone(),
                data,
            });
            write.write_all(b"250 accepted\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return write.shutdown().await;
        } else {
            write.write_all(b"250 OK\r\n").await?;
        }
    }
}
