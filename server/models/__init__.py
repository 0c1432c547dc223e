"""All models, imported here so Alembic and the app see one complete metadata."""
from server.models.audit import AuditLog
from server.models.contact import ResidentPhone
from server.models.cycle import (CityDecision, CommunityTitle, Cycle, CycleQuota,
                                 Participation)
from server.models.content_check import ContentCheck, HasContentCheck
from server.models.holiday import HolidayYear, StaffNotice
from server.models.notification import Notification
from server.models.inspection import FieldInspection, InspectionItem, VolunteerSupervisor
from server.models.open311 import PartnerSystem
from server.models.org import Building, Community, Household, OrgUnit
from server.models.outbox import OutboxMessage
from server.models.people import AuthSession, Membership, Resident, Staff
from server.models.photo import Photo
from server.models.rectification import Rectification, RectificationEvent
from server.models.report import (Report, ReportCategory, ReportEvent, ReportExtension,
                                  ReportSupport)
from server.models.staff_notification import StaffNotification
from server.models.scoring import (Framework, Indicator, IndicatorEntry, ScoreSnapshot,
                                   VetoEvent)
from server.models.survey import (Survey, SurveyAnswer, SurveyBallot, SurveyComment,
                                  SurveyExport, SurveyParticipation, SurveyQuestion,
                                  SurveyRelease)

__all__ = ["AuditLog", "AuthSession", "Building", "Community", "ContentCheck", "HasContentCheck",
           "Household", "Membership", "Notification", "OrgUnit", "OutboxMessage", "Resident",
           "ResidentPhone", "Staff"]
__all__ += ["CityDecision", "CommunityTitle", "Cycle", "CycleQuota", "Framework", "Indicator",
            "IndicatorEntry", "Participation", "ScoreSnapshot", "VetoEvent"]
__all__ += ["FieldInspection", "InspectionItem", "PartnerSystem", "VolunteerSupervisor"]
__all__ += ["Photo", "Rectification", "RectificationEvent", "Report", "ReportCategory",
            "ReportEvent", "ReportExtension", "ReportSupport"]
__all__ += ["Survey", "SurveyAnswer", "SurveyBallot", "SurveyComment", "SurveyExport",
            "SurveyParticipation", "SurveyQuestion"]
__all__ += ["HolidayYear", "StaffNotice", "StaffNotification"]
