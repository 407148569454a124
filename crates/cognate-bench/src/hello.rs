//! `cognate-bench hello --listen ADDR`: the smallest HTTP/1.1 server (hyper, `{}` to every
//! request), for this machine's ceiling.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

pub async fn serve(listen: &str) -> anyhow::Result<()> {
    let listener = TcpListener::bind(listen).await?;
    println!("hello listening on http://{}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let service = service_fn(|_req| async {
                let resp = hyper::Response::builder()
                    .header("content-type", "application/x-amz-json-1.1")
                    .body(Full::new(Bytes::from_static(b"{}")));
                Ok::<_, Infallible>(resp.unwrap_or_default())
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
