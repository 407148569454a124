//! A user import job (`UserImportJobType`): a CSV of users uploaded to the job's URL and
//! imported in batches, with counters that grow while it runs.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

/// `UserImportJobStatusType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportJobStatus {
    Created,
    Pending,
    InProgress,
    Stopping,
    Expired,
    Stopped,
    Failed,
    Succeeded,
}

impl ImportJobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "Created",
            Self::Pending => "Pending",
            Self::InProgress => "InProgress",
            Self::Stopping => "Stopping",
            Self::Expired => "Expired",
            Self::Stopped => "Stopped",
            Self::Failed => "Failed",
            Self::Succeeded => "Succeeded",
        }
    }

    pub fn is_finished(self) -> bool {
        matches!(
            self,
            Self::Expired | Self::Stopped | Self::Failed | Self::Succeeded
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserImportJob {
    pub pool_id: String,
    /// `import-` and random characters; unique across the installation.
    pub job_id: String,
    pub job_name: String,
    pub cloud_watch_logs_role_arn: String,
    pub status: ImportJobStatus,
    pub created: Timestamp,
    pub started: Option<Timestamp>,
    pub completed: Option<Timestamp>,
    pub imported_users: i64,
    pub skipped_users: i64,
    pub failed_users: i64,
    pub completion_message: Option<String>,
    /// When the CSV file was last uploaded (None: not yet).
    pub uploaded: Option<Timestamp>,
}
