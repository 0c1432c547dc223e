"""The staff inbox. The unread count in the header refreshes itself (htmx polling), so a
street sees a committee's answer arrive without reloading the page."""
from flask import redirect, render_template, url_for

from server.console.blueprint import bp
from server.console.forms import page_args
from server.console.session import current_actor, staff_required
from server.services import staff_notifications



@bp.route("/notifications")
@staff_required()
def notifications_list(actor):
    page, per_page = page_args()
    result = staff_notifications.list_for(actor.staff, page, per_page)
    return render_template("console/notifications.html", result=result)


@bp.route("/notifications/badge")
def notifications_badge():
    actor = current_actor()
    if actor is None:
        return "", 286  # htmx stops polling: the session is over
    return render_template("console/_badge.html",
                           unread=staff_notifications.unread_count(actor.staff))


@bp.route("/notifications/<id:notification_id>")
@staff_required()
def notification_open(notification_id, actor):
    notification = staff_notifications.mark_read(actor.staff, notification_id)
    link = notification.link if notification.link.startswith("/console/") else None
    return redirect(link or url_for("console.notifications_list"))


@bp.route("/notifications/read-all", methods=["POST"])
@staff_required()
def notifications_read_all(actor):
    staff_notifications.mark_all_read(actor.staff)
    return redirect(url_for("console.notifications_list"))
