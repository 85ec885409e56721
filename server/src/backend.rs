//! The app's [`Backend`] seam, implemented over the store.

use crate::store::Store;
use app::backend::ssr::{Backend, BackendError};
use app::backend::{AccountView, Dashboard, ServiceForm, ServiceSummary};
use app::domain::catalog::Catalog;

pub struct StoreBackend {
    store: Store,
    secure_cookies: bool,
}

impl StoreBackend {
    pub fn new(store: Store, secure_cookies: bool) -> Self {
        Self {
            store,
            secure_cookies,
        }
    }
}

fn err(e: sqlx::Error) -> BackendError {
    BackendError(e.to_string())
}

#[async_trait::async_trait]
impl Backend for StoreBackend {
    async fn catalog(&self) -> Result<Catalog, BackendError> {
        self.store.catalog().await.map_err(err)
    }

    async fn service_form(&self, code: &str) -> Result<Option<ServiceForm>, BackendError> {
        Ok(self
            .store
            .service_by_code(code)
            .await
            .map_err(err)?
            .map(|(row, questionnaire)| ServiceForm {
                service: row.service,
                unit_name: row.unit_name,
                agency_name: row.agency_name,
                questionnaire,
            }))
    }

    async fn sign_in(&self, email: &str, password: &str) -> Result<Option<String>, BackendError> {
        let Some(account) = self
            .store
            .check_password(email, password)
            .await
            .map_err(err)?
        else {
            tracing::info!(%email, "sign-in failed");
            return Ok(None);
        };
        tracing::info!(email = %account.email, "signed in");
        self.store
            .create_session(account.id)
            .await
            .map(Some)
            .map_err(err)
    }

    async fn sign_out(&self, session_token: &str) -> Result<(), BackendError> {
        self.store.delete_session(session_token).await.map_err(err)
    }

    async fn dashboard(&self, session_token: &str) -> Result<Option<Dashboard>, BackendError> {
        let Some(account) = self
            .store
            .session_account(session_token)
            .await
            .map_err(err)?
        else {
            return Ok(None);
        };
        let services = self
            .store
            .service_tallies(account.unit_scope())
            .await
            .map_err(err)?
            .into_iter()
            .map(ServiceSummary::from)
            .collect();
        Ok(Some(Dashboard {
            account: AccountView {
                email: account.email,
                role: account.role.as_str().to_owned(),
            },
            services,
        }))
    }

    fn secure_cookies(&self) -> bool {
        self.secure_cookies
    }
}
