'use strict';
const ui = VisioDemo.bind();
document.getElementById('start').addEventListener('click', () => ui.run(() => VisioDemo.play(ui.stream())));
document.getElementById('stop').addEventListener('click', () => ui.run(() => VisioDemo.stop()));
