//! Bounded, off-runtime OCR for async servers.

use crate::{Line, Ocr, OcrError};
use image::DynamicImage;
use rten::ThreadPool;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// At most `workers` recognitions at once, each on a blocking thread (`spawn_blocking`) with
/// its own one-thread model pool: requests beyond that wait their turn instead of starving the
/// async runtime or each other. Cheap to clone.
#[derive(Clone)]
pub struct OcrPool {
    ocr: Arc<Ocr>,
    permits: Arc<Semaphore>,
    threads: Arc<Mutex<Vec<Arc<ThreadPool>>>>,
}

impl OcrPool {
    pub fn new(ocr: Arc<Ocr>, workers: usize) -> OcrPool {
        let workers = workers.max(1);
        let threads = (0..workers).map(|_| Arc::new(ThreadPool::with_num_threads(1))).collect();
        OcrPool { ocr, permits: Arc::new(Semaphore::new(workers)), threads: Arc::new(Mutex::new(threads)) }
    }

    /// One worker per core: the throughput setting.
    pub fn per_core(ocr: Arc<Ocr>) -> OcrPool {
        OcrPool::new(ocr, std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    pub fn ocr(&self) -> &Arc<Ocr> {
        &self.ocr
    }

    /// Reads `image` once a worker is free.
    pub async fn recognise(&self, image: DynamicImage) -> Result<Vec<Line>, OcrError> {
        self.run(move |ocr, threads| ocr.recognise_on(&image, Some(threads))).await
    }

    /// Decodes the uploaded bytes (with [`decode_image`]'s limits) and reads them, both on the worker.
    pub async fn recognise_bytes(&self, bytes: Vec<u8>) -> Result<Vec<Line>, OcrError> {
        self.run(move |ocr, threads| ocr.recognise_on(&decode_image(&bytes)?, Some(threads))).await
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Ocr, Arc<ThreadPool>) -> Result<T, OcrError> + Send + 'static,
    ) -> Result<T, OcrError> {
        let permit = self.permits.clone().acquire_owned().await.expect("the semaphore is never closed");
        // A worker that panicked took its pool with it: make another.
        let threads = self.threads.lock().expect("not poisoned").pop();
        let threads = threads.unwrap_or_else(|| Arc::new(ThreadPool::with_num_threads(1)));
        let ocr = self.ocr.clone();
        let shelf = self.threads.clone();
        // The permit and the pool are given back when the work ends, not when the caller stops
        // waiting: a dropped request cannot push the number of running recognitions past the bound.
        let work = tokio::task::spawn_blocking(move || {
            let result = job(&ocr, threads.clone());
            shelf.lock().expect("not poisoned").push(threads);
            drop(permit);
            result
        });
        work.await.map_err(|e| OcrError::Run { stage: "worker", message: e.to_string() })?
    }
}

/// Decodes JPEG, PNG or WebP with limits against decompression bombs (sides of at most 8,000
/// pixels, 256 MB of decoder memory).
pub fn decode_image(bytes: &[u8]) -> Result<DynamicImage, OcrError> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| OcrError::Image(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(256 << 20);
    limits.max_image_width = Some(8_000);
    limits.max_image_height = Some(8_000);
    reader.limits(limits);
    reader.decode().map_err(|e| OcrError::Image(e.to_string()))
}
