//! One way to stream a long body: rows are written into a buffer that is
//! sent in chunks of about 64 KiB through a small channel, so memory stays
//! flat at any size and a client that goes away stops the writer. Every
//! streamed export (rows, files, the audit log) goes through it.

use axum::body::{Body, Bytes};
use tokio::sync::mpsc;

/// The size a chunk is sent at.
pub const CHUNK: usize = 64 * 1024;

type Chunk = Result<Bytes, std::io::Error>;

/// The writing end of a streamed body.
pub struct ChunkWriter {
    tx: mpsc::Sender<Chunk>,
    buf: Vec<u8>,
}

/// A writer and the body it feeds.
pub fn channel() -> (ChunkWriter, Body) {
    let (tx, rx) = mpsc::channel::<Chunk>(8);
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    (
        ChunkWriter {
            tx,
            buf: Vec::with_capacity(CHUNK * 2),
        },
        body,
    )
}

impl ChunkWriter {
    /// Where the next bytes go.
    pub fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    fn take_full(&mut self) -> Option<Bytes> {
        (self.buf.len() >= CHUNK).then(|| {
            Bytes::from(std::mem::replace(
                &mut self.buf,
                Vec::with_capacity(CHUNK * 2),
            ))
        })
    }

    /// Sends the buffer once it holds a chunk. False: the client went away.
    pub async fn flush_full(&mut self) -> bool {
        match self.take_full() {
            Some(chunk) => self.tx.send(Ok(chunk)).await.is_ok(),
            None => true,
        }
    }

    /// [`Self::flush_full`] from a blocking thread.
    pub fn blocking_flush_full(&mut self) -> bool {
        match self.take_full() {
            Some(chunk) => self.tx.blocking_send(Ok(chunk)).is_ok(),
            None => true,
        }
    }

    /// Sends `bytes` as they are (after what is buffered). False: the client
    /// went away.
    pub async fn send(&mut self, bytes: &[u8]) -> bool {
        if !self.buf.is_empty() {
            let chunk = Bytes::from(std::mem::take(&mut self.buf));
            if self.tx.send(Ok(chunk)).await.is_err() {
                return false;
            }
        }
        self.tx
            .send(Ok(Bytes::copy_from_slice(bytes)))
            .await
            .is_ok()
    }

    /// Sends what is left: the body ends well.
    pub async fn finish(self) {
        if !self.buf.is_empty() {
            let _ = self.tx.send(Ok(Bytes::from(self.buf))).await;
        }
    }

    /// Breaks the body off: the client sees a failed transfer, not a short
    /// file that looks whole.
    pub async fn fail(self, e: impl std::fmt::Display) {
        tracing::error!(error = %e, "a streamed body broke off");
        let _ = self
            .tx
            .send(Err(std::io::Error::other(e.to_string())))
            .await;
    }
}
