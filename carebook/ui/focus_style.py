"""A visible keyboard focus (issue 4 item 9): a 2 px ring in the palette's highlight colour
around the focused control, on top of whatever the platform style draws.

The platform styles mark focus faintly (Fusion: a 1 px light-blue edge on buttons and combos,
nothing on the card's scroll area or the entry detail); a worker using the keyboard on a shared
office PC must see at a glance where Tab went. A proxy style keeps every platform look and
metric and only adds the ring, so sizes and layouts do not change.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

RING_WIDTH = 2

_CONTROLS = {QStyle.ControlElement.CE_PushButton, QStyle.ControlElement.CE_CheckBox,
             QStyle.ControlElement.CE_RadioButton}
_COMPLEX = {QStyle.ComplexControl.CC_ComboBox, QStyle.ComplexControl.CC_SpinBox,
            QStyle.ComplexControl.CC_ToolButton}
_PRIMITIVES = {QStyle.PrimitiveElement.PE_PanelLineEdit}


class FocusRingStyle(QProxyStyle):
    """The app's style with a clear focus ring (see the module docstring)."""

    def drawControl(self, element: QStyle.ControlElement, option: QStyleOption,  # noqa: N802
                    painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawControl(element, option, painter, widget)
        if element == QStyle.ControlElement.CE_ShapedFrame:
            # Text boxes, lists and tables: the frame's option carries no focus flag.
            if widget is not None and widget.hasFocus():
                self._draw(option, painter)
        elif element in _CONTROLS:
            self._ring(self._ring_option(element, option, widget), painter, widget)

    def drawComplexControl(self, control: QStyle.ComplexControl, option: Any,  # noqa: N802
                           painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in _COMPLEX:
            self._ring(option, painter, widget)

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,  # noqa: N802
                      painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in _PRIMITIVES:
            self._ring(option, painter, widget)

    def _ring_option(self, element: QStyle.ControlElement, option: QStyleOption,
                     widget: QWidget | None) -> QStyleOption:
        """A check box's or radio button's ring hugs its box and label, not the empty width
        the layout gave the widget."""
        sub = {QStyle.ControlElement.CE_CheckBox: QStyle.SubElement.SE_CheckBoxClickRect,
               QStyle.ControlElement.CE_RadioButton: QStyle.SubElement.SE_RadioButtonClickRect
               }.get(element)
        if sub is None:
            return option
        hugging = QStyleOption(option)
        hugging.rect = self.subElementRect(sub, option, widget).adjusted(-2, -1, 3, 1) & (
            option.rect)
        return hugging

    @staticmethod
    def _ring(option: QStyleOption, painter: QPainter, widget: QWidget | None) -> None:
        if not option.state & QStyle.StateFlag.State_HasFocus:
            return
        if widget is not None and not widget.hasFocus():
            return  # a frame drawn for a child (the line edit inside a spin box) or a cell
        FocusRingStyle._draw(option, painter)

    @staticmethod
    def _draw(option: QStyleOption, painter: QPainter) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pen = QPen(option.palette.color(QPalette.ColorRole.Highlight), RING_WIDTH)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = RING_WIDTH // 2
        painter.drawRect(option.rect.adjusted(half, half, -half, -half))
        painter.restore()


def install(app: QApplication) -> None:
    """Wrap the application's current style in :class:`FocusRingStyle` (once)."""
    if isinstance(app.style(), FocusRingStyle):
        return
    app.setStyle(FocusRingStyle(app.style().name()))
