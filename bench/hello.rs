//! The baseline of `bench/reads.sh`: an actix-web hello-world serving fixed bytes (a file's, read
//! once) with the same content type on every path, so that a read of jiebang can be compared with
//! the framework's ceiling on the same machine in the same run.
//!
//! `hello ADDR FILE`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark baseline fails loudly

use actix_web::{web, App, HttpResponse, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let addr = args.get(1).expect("hello ADDR FILE").clone();
    let body = web::Bytes::from(std::fs::read(args.get(2).expect("hello ADDR FILE"))?);
    HttpServer::new(move || {
        let body = body.clone();
        App::new().default_service(web::to(move || {
            let body = body.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("application/json")
                    .body(body)
            }
        }))
    })
    .bind(addr)?
    .run()
    .await
}
