// The upload box of a department's page: pick or drop files, see the findings, confirm.
// Everything from the server is put on the page with textContent, never as HTML.
(function () {
  'use strict';
  var drop = document.getElementById('drop');
  if (!drop) return;
  var input = document.getElementById('file-input');
  var box = document.getElementById('preview');
  var status = document.getElementById('preview-status');
  var result = document.getElementById('preview-result');
  var confirmButton = document.getElementById('confirm');
  var cancelButton = document.getElementById('cancel');
  var maxFiles = Number(drop.getAttribute('data-max-files'));
  var maxBytes = Number(drop.getAttribute('data-max-bytes'));
  var uploadId = null;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function show(message, cls) {
    box.hidden = false;
    status.textContent = message;
    status.className = 'status' + (cls ? ' ' + cls : '');
  }

  function reset() {
    uploadId = null;
    result.textContent = '';
    confirmButton.hidden = true;
    cancelButton.hidden = true;
    confirmButton.disabled = false;
  }

  function send(files) {
    reset();
    var list = Array.prototype.slice.call(files);
    if (list.length === 0) return;
    if (list.length > maxFiles) return show('一次最多上传 ' + maxFiles + ' 个文件。', 'error');
    for (var i = 0; i < list.length; i++) {
      if (!/\.(xlsx|xls|csv)$/i.test(list[i].name)) return show('“' + list[i].name + '”不是 .xlsx、.xls 或 .csv 文件。', 'error');
      if (list[i].size > maxBytes) return show('“' + list[i].name + '”太大（每个文件不超过 ' + (maxBytes / 1048576).toFixed(1) + ' MB）。', 'error');
    }
    var form = new FormData();
    list.forEach(function (f) { form.append('files', f, f.name); });
    show('正在核查 ' + list.length + ' 个文件，通常几秒钟……', 'busy');
    drop.classList.add('working');
    fetch(drop.getAttribute('data-preview'), { method: 'POST', body: form, credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (r) {
        drop.classList.remove('working');
        if (!r.ok) {
          show(r.body.error || '上传失败。', 'error');
          renderRejected(r.body.rejected || []);
          return;
        }
        renderPreview(r.body);
      })
      .catch(function () {
        drop.classList.remove('working');
        show('上传失败：网络中断或服务器无响应，请稍后再试。', 'error');
      });
  }

  function renderRejected(rejected) {
    if (rejected.length === 0) return;
    var ul = el('ul', null, 'rejected');
    ul.id = 'rejected';
    rejected.forEach(function (r) { ul.appendChild(el('li', '“' + r.name + '”未接收：' + r.reason)); });
    result.appendChild(ul);
  }

  function renderPreview(p) {
    uploadId = p.uploadId;
    var errors = p.findings.filter(function (f) { return f.level === '错误'; }).length;
    var warnings = p.findings.length - errors;
    if (p.findings.length === 0) show('核查完成（' + (p.ms / 1000).toFixed(1) + ' 秒）：未发现问题，可以报送。', 'ok');
    else show('核查完成（' + (p.ms / 1000).toFixed(1) + ' 秒）：发现 ' + errors + ' 个错误、' + warnings + ' 个警告。建议修改后重新上传；也可以先报送，改好后再报送同名文件。', errors > 0 ? 'error' : 'warning');

    var files = el('ul', null, 'uploaded');
    files.id = 'preview-files';
    p.files.forEach(function (f) {
      files.appendChild(el('li', f.name + (f.replaces ? '（将替换已报送的同名文件，成为第 ' + f.version + ' 版）' : '（新文件）')));
    });
    result.appendChild(files);
    renderRejected(p.rejected || []);
    if (p.recognized.length > 0) {
      result.appendChild(el('p', '识别出的台账：' + p.recognized.map(function (l) { return l.ledgerName + '（' + l.rows + ' 行）'; }).join('、')));
    } else {
      result.appendChild(el('p', '没有识别出任何台账，请检查表头是否与模板一致。', 'warning'));
    }
    if (p.stillMissing.length > 0) result.appendChild(el('p', '报送后仍缺：' + p.stillMissing.join('、'), 'muted'));

    if (p.findings.length > 0) {
      var table = el('table', null, 'findings');
      table.id = 'preview-findings';
      var head = el('tr');
      ['序号', '级别', '文件', '工作表', '单元格', '规则编码', '说明'].forEach(function (h) { head.appendChild(el('th', h)); });
      var thead = el('thead');
      thead.appendChild(head);
      table.appendChild(thead);
      var tbody = el('tbody');
      p.findings.forEach(function (f, i) {
        var tr = el('tr');
        tr.setAttribute('data-code', f.code);
        tr.appendChild(el('td', i + 1));
        tr.appendChild(el('td', f.level, 'level ' + (f.level === '错误' ? 'error' : 'warning')));
        tr.appendChild(el('td', (f.file || '').replace(/^[^/]*\//, ''), 'file'));
        tr.appendChild(el('td', f.sheet || '', 'sheet'));
        tr.appendChild(el('td', f.cell || '', 'cell'));
        var code = el('td', null, 'code');
        code.appendChild(el('code', f.code));
        tr.appendChild(code);
        var extra = [];
        if (f.expected !== null) extra.push('期望：' + f.expected);
        if (f.actual !== null) extra.push('实际：' + f.actual);
        tr.appendChild(el('td', f.message + (extra.length ? '（' + extra.join('；') + '）' : ''), 'message'));
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
      result.appendChild(table);
    } else {
      var clean = el('p', '这些文件未发现问题。', 'ok');
      clean.id = 'preview-clean';
      result.appendChild(clean);
    }
    confirmButton.hidden = false;
    cancelButton.hidden = false;
  }

  confirmButton.addEventListener('click', function () {
    if (!uploadId) return;
    confirmButton.disabled = true;
    show('正在报送并核查……', 'busy');
    fetch(drop.getAttribute('data-confirm'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ uploadId: uploadId }),
      credentials: 'same-origin',
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (r) {
        if (!r.ok) {
          confirmButton.disabled = false;
          return show(r.body.error || '报送失败，请重新上传。', 'error');
        }
        window.location.assign(drop.getAttribute('data-page') + '?placed=' + r.body.placed.length);
      })
      .catch(function () {
        confirmButton.disabled = false;
        show('报送失败：网络中断或服务器无响应，请稍后再试。', 'error');
      });
  });

  cancelButton.addEventListener('click', function () {
    reset();
    box.hidden = true;
    input.value = '';
  });

  input.addEventListener('change', function () { send(input.files); });
  ['dragenter', 'dragover'].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (e) { if (e.dataTransfer) send(e.dataTransfer.files); });
})();
